package dev.streamfirst.testing.kit;

import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.EventTestStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * A pipeline chosen for a test, with its command-line flags: give it an input ({@link #readFrom},
 * {@link #readEvents}, {@link #readLines}) to get a {@link PipelineRun}.
 *
 * <p>The pipeline is built by its own factory from the flags, exactly as {@code ./streamfirst run}
 * builds it, on the DirectRunner; then its source is replaced by the input and its sinks by
 * captures. {@code --source} is the kit's to set: a test input that is a {@link TestStream} stands
 * in for an unbounded source, in-memory events for a bounded one, and the pipeline is built for
 * that kind of source.
 */
public final class PipelineUnderTest<O extends PipelineOptions> {
  /** An unbounded source whose place a TestStream takes. */
  static final String UNBOUNDED_PLACEHOLDER = "generator://events?rate=1";

  /** A bounded source whose place in-memory events take. */
  static final String BOUNDED_PLACEHOLDER = "generator://events?count=1";

  private final PipelineKit kit;
  private final Class<O> optionsClass;
  private final Function<O, Pipeline> factory;
  private final List<String> args = new ArrayList<>();
  private final List<Consumer<O>> settings = new ArrayList<>();

  PipelineUnderTest(PipelineKit kit, Class<O> optionsClass, Function<O, Pipeline> factory) {
    this.kit = kit;
    this.optionsClass = optionsClass;
    this.factory = factory;
  }

  /** Flags as on the command line, e.g. {@code "--window=fixed:1m", "--allowedLateness=5m"}. */
  public PipelineUnderTest<O> withArgs(String... flags) {
    for (String flag : flags) {
      if (flag.startsWith("--source=")) {
        throw new IllegalArgumentException(
            "the kit sets --source itself (the test's input replaces the source); remove " + flag);
      }
      if (flag.startsWith("--runner=")) {
        throw new IllegalArgumentException(
            "the kit runs the pipeline on the DirectRunner; remove " + flag);
      }
    }
    args.addAll(Arrays.asList(flags));
    return this;
  }

  /** Sets options in code, after the flags are read, e.g. {@code o -> o.setWindow("fixed:1m")}. */
  public PipelineUnderTest<O> withOptions(Consumer<O> setting) {
    settings.add(setting);
    return this;
  }

  /** The pipeline reading {@code stream}, as from an unbounded source (Kafka, Pub/Sub). */
  public PipelineRun readFrom(TestStream<String> stream) {
    return build(UNBOUNDED_PLACEHOLDER, new TestInput(stream));
  }

  /** As {@link #readFrom(TestStream)}, ending the stream: the watermark goes to infinity. */
  public PipelineRun readFrom(EventTestStream stream) {
    return readFrom(stream.advanceWatermarkToInfinity());
  }

  /** The pipeline reading these events, each stamped with its event time, as from files. */
  public PipelineRun readEvents(EventJson... events) {
    List<TimestampedValue<String>> lines = new ArrayList<>();
    for (EventJson event : events) {
      lines.add(TimestampedValue.of(event.toJson(), event.eventTime()));
    }
    return build(
        BOUNDED_PLACEHOLDER,
        new TestInput(Create.timestamped(lines).withCoder(StringUtf8Coder.of())));
  }

  /** The pipeline reading these raw lines (valid, malformed or blank), as from files. */
  public PipelineRun readLines(String... lines) {
    return build(
        BOUNDED_PLACEHOLDER,
        new TestInput(Create.of(Arrays.asList(lines)).withCoder(StringUtf8Coder.of())));
  }

  private PipelineRun build(String placeholder, PTransform<PBegin, PCollection<String>> input) {
    List<String> flags = new ArrayList<>(args);
    if (SourceOptions.class.isAssignableFrom(optionsClass)) {
      flags.add("--source=" + placeholder);
    }
    if (SinkOptions.class.isAssignableFrom(optionsClass)) {
      // Replaced by captures before anything runs; console: is chosen as it opens nothing.
      if (flags.stream().noneMatch(f -> f.startsWith("--sink="))) {
        flags.add("--sink=console:");
      }
      if (flags.stream().noneMatch(f -> f.startsWith("--deadLetter="))) {
        flags.add("--deadLetter=console:");
      }
    }
    O options =
        PipelineOptionsFactory.fromArgs(flags.toArray(String[]::new))
            .withValidation()
            .as(optionsClass);
    settings.forEach(setting -> setting.accept(options));
    options.setRunner(DirectRunner.class);
    Pipeline pipeline = factory.apply(options);
    IoSwap.Steps steps = IoSwap.find(pipeline);
    IoSwap.swap(pipeline, steps, input);
    return kit.track(new PipelineRun(pipeline, steps.outputs()));
  }

  /** The test's input in the source's place. */
  private static final class TestInput extends PTransform<PBegin, PCollection<String>> {
    private final PTransform<PBegin, PCollection<String>> lines;

    TestInput(PTransform<PBegin, PCollection<String>> lines) {
      this.lines = lines;
    }

    @Override
    public PCollection<String> expand(PBegin begin) {
      return begin.apply("TestInput", lines);
    }
  }
}
