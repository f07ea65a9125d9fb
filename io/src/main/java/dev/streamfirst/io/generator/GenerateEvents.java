package dev.streamfirst.io.generator;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Canonical events from a {@link GeneratorSpec}, as raw JSON texts stamped with their event times.
 *
 * <p>Without a rate the output is bounded and produced as fast as the runner can: positions {@code
 * 0..count-1} are split like any sequence and each is rendered by {@link EventGenerator}. With a
 * rate it is unbounded, paced to that many messages per second and watermarked so that only the
 * {@code late} fraction is late; adding a count makes it end, which tests use.
 *
 * <pre>{@code
 * PCollection<String> payloads =
 *     p.apply("Generate", GenerateEvents.from(GeneratorSpec.parse("generator://events?count=1000")));
 * }</pre>
 */
@AutoValue
public abstract class GenerateEvents extends PTransform<PBegin, PCollection<String>> {

  public abstract GeneratorSpec spec();

  public static GenerateEvents from(GeneratorSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("GenerateEvents.from() needs a GeneratorSpec, got null");
    }
    return new AutoValue_GenerateEvents(spec);
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    if (spec().isUnbounded()) {
      return begin.apply("ReadPacedEvents", Read.from(EventGeneratorSource.of(spec())));
    }
    return begin
        .apply("Positions", GenerateSequence.from(0).to(spec().count()))
        .apply("RenderMessages", ParDo.of(new RenderPositionFn(new EventGenerator(spec()))));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("generator", spec().toUri()).withLabel("Generator"));
  }

  private static final class RenderPositionFn extends DoFn<Long, String> {
    private final EventGenerator generator;

    RenderPositionFn(EventGenerator generator) {
      this.generator = generator;
    }

    @ProcessElement
    public void process(@Element Long position, OutputReceiver<String> out) {
      for (long index : generator.deliveredAt(position)) {
        out.outputWithTimestamp(generator.message(index), generator.eventTime(index));
      }
    }
  }
}
