package dev.streamfirst.io.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The rate-paced, unbounded form of the generator. A split owns the positions {@code first, first +
 * stride, first + 2 * stride, ...}; splitting again refines the stride, so splits never overlap and
 * together cover every position. Each reader paces itself to {@code rate / stride} positions per
 * second, so all splits together deliver {@code rate}.
 *
 * <p>Element timestamps are the events' event times; the watermark is {@link
 * EventGenerator#watermarkAt(long)} of the next position, which keeps disordered events and
 * re-deliveries on time and leaves exactly the {@code late} fraction behind it. With a count, a
 * reader that has delivered its last position reports the end of time, so the pipeline can finish.
 */
final class EventGeneratorSource extends UnboundedSource<String, GeneratorCheckpoint> {
  private final EventGenerator generator;
  private final long firstPosition;
  private final long stride;

  EventGeneratorSource(EventGenerator generator, long firstPosition, long stride) {
    this.generator = generator;
    this.firstPosition = firstPosition;
    this.stride = stride;
  }

  static EventGeneratorSource of(GeneratorSpec spec) {
    if (!spec.isUnbounded()) {
      throw new IllegalArgumentException(
          "the unbounded generator needs a rate, got " + spec.toUri());
    }
    return new EventGeneratorSource(new EventGenerator(spec), 0, 1);
  }

  EventGenerator generator() {
    return generator;
  }

  long firstPosition() {
    return firstPosition;
  }

  long stride() {
    return stride;
  }

  @Override
  public List<EventGeneratorSource> split(int desiredNumSplits, PipelineOptions options) {
    long splits = Math.max(1, desiredNumSplits);
    // More splits than positions would leave readers with nothing to do but report the end.
    splits = Math.min(splits, Math.max(1, positions()));
    List<EventGeneratorSource> sources = new ArrayList<>();
    for (long t = 0; t < splits; t++) {
      sources.add(new EventGeneratorSource(generator, firstPosition + t * stride, stride * splits));
    }
    return sources;
  }

  @Override
  public Reader createReader(PipelineOptions options, @Nullable GeneratorCheckpoint checkpoint) {
    return new Reader(this, checkpoint);
  }

  @Override
  public Coder<GeneratorCheckpoint> getCheckpointMarkCoder() {
    return GeneratorCheckpoint.Coder.of();
  }

  @Override
  public Coder<String> getOutputCoder() {
    return StringUtf8Coder.of();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("generator", generator.spec().toUri()).withLabel("Generator"))
        .add(DisplayData.item("firstPosition", firstPosition).withLabel("First position"))
        .add(DisplayData.item("stride", stride).withLabel("Position stride"));
  }

  private long positions() {
    long size = generator.size();
    if (size == Long.MAX_VALUE) {
      return Long.MAX_VALUE;
    }
    return firstPosition >= size ? 0 : (size - 1 - firstPosition) / stride + 1;
  }

  /** Reads one split's positions at its share of the rate. */
  static final class Reader extends UnboundedReader<String> {
    private final EventGeneratorSource source;
    private final EventGenerator generator;
    private final double nanosPerPosition;

    private long nextPosition;
    private int nextDelivery;
    private long @Nullable [] deliveries;
    private @Nullable String current;
    private @Nullable Instant currentTimestamp;
    private boolean exhausted;
    private long originNanos;
    private long originPosition;

    Reader(EventGeneratorSource source, @Nullable GeneratorCheckpoint checkpoint) {
      this.source = source;
      this.generator = source.generator;
      Double rate = generator.spec().rate();
      this.nanosPerPosition = rate == null ? 0 : 1e9 / rate;
      if (checkpoint == null) {
        this.nextPosition = source.firstPosition;
        this.nextDelivery = 0;
      } else {
        long offset = checkpoint.nextPosition() - source.firstPosition;
        if (offset < 0 || offset % source.stride != 0) {
          throw new IllegalArgumentException(
              checkpoint + " does not belong to the split starting at " + source.firstPosition);
        }
        this.nextPosition = checkpoint.nextPosition();
        this.nextDelivery = checkpoint.deliveredAtPosition();
      }
    }

    @Override
    public boolean start() {
      originNanos = System.nanoTime();
      originPosition = nextPosition;
      return advance();
    }

    @Override
    public boolean advance() {
      current = null;
      currentTimestamp = null;
      if (nextPosition >= generator.size()) {
        exhausted = true;
        return false;
      }
      if (deliveries == null) {
        // Copies left over from a checkpoint taken mid-position are owed already: no pacing.
        if (nextDelivery == 0 && !isDue(nextPosition)) {
          return false;
        }
        deliveries = generator.deliveredAt(nextPosition);
      }
      long index = deliveries[nextDelivery++];
      current = generator.message(index);
      currentTimestamp = generator.eventTime(index);
      if (nextDelivery == deliveries.length) {
        nextPosition += source.stride;
        nextDelivery = 0;
        deliveries = null;
      }
      return true;
    }

    private boolean isDue(long position) {
      long dueNanos = originNanos + (long) ((position - originPosition) * nanosPerPosition);
      return System.nanoTime() - dueNanos >= 0;
    }

    @Override
    public String getCurrent() {
      if (current == null) {
        throw new NoSuchElementException("no current message: start() or advance() was false");
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (currentTimestamp == null) {
        throw new NoSuchElementException("no current message: start() or advance() was false");
      }
      return currentTimestamp;
    }

    @Override
    public Instant getWatermark() {
      return exhausted ? BoundedWindow.TIMESTAMP_MAX_VALUE : generator.watermarkAt(nextPosition);
    }

    @Override
    public GeneratorCheckpoint getCheckpointMark() {
      return new GeneratorCheckpoint(nextPosition, nextDelivery);
    }

    @Override
    public EventGeneratorSource getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }
}
