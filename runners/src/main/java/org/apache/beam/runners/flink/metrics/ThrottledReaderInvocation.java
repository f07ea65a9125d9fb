package org.apache.beam.runners.flink.metrics;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.beam.sdk.io.Source;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Calls a Beam source's reader as FlinkRunner's {@link ReaderInvocationUtil} does, but passes the
 * step's Beam metrics on to Flink at most once per {@code every} instead of after every record.
 *
 * <p>Why: FlinkRunner 2.62 copies all of a source step's metrics into Flink's after each {@code
 * advance()}, building a result object for every counter each time; on a Kafka source at 5,000
 * records/s per reader that was a third of the source thread. Metrics still reach Flink within
 * {@code every} while records flow, and at once when a reader has nothing more to read, so an idle
 * or finished source shows its final counts. Flink's reporters sample far less often than this.
 *
 * <p>Lives in Beam's package because the metric container's update is package-private. Delete it
 * (and {@code dev.streamfirst.runners.flink.fixes.ResumingSource}'s use of it) once Beam's
 * FlinkRunner stops updating metrics per record.
 */
public final class ThrottledReaderInvocation<OutputT, ReaderT extends Source.Reader<OutputT>>
    extends ReaderInvocationUtil<OutputT, ReaderT> {
  /** How often a busy source's metrics reach Flink. */
  public static final Duration DEFAULT_EVERY = Duration.ofMillis(500);

  private final String stepName;
  private final FlinkMetricContainerBase container;
  private final boolean enabled;
  private final long everyNanos;
  private final LongSupplier nanoClock;
  private boolean updatedBefore;
  private long nextUpdate;

  private ThrottledReaderInvocation(
      String stepName,
      PipelineOptions options,
      FlinkMetricContainerBase container,
      boolean enabled,
      Duration every,
      LongSupplier nanoClock) {
    super(stepName, options, container);
    this.stepName = stepName;
    this.container = container;
    this.enabled = enabled;
    this.everyNanos = every.toNanos();
    this.nanoClock = nanoClock;
  }

  /**
   * The same step, container and switch as {@code original}, with updates at most {@code every}.
   */
  public static <OutputT, ReaderT extends Source.Reader<OutputT>>
      ThrottledReaderInvocation<OutputT, ReaderT> replacing(
          ReaderInvocationUtil<OutputT, ReaderT> original,
          PipelineOptions options,
          Duration every,
          LongSupplier nanoClock) {
    return new ThrottledReaderInvocation<>(
        (String) read(original, "stepName"),
        options,
        (FlinkMetricContainerBase) read(original, "container"),
        (Boolean) read(original, "enableMetrics"),
        every,
        nanoClock);
  }

  @Override
  public boolean invokeStart(ReaderT reader) throws IOException {
    if (!enabled) {
      return reader.start();
    }
    try (Closeable ignored =
        MetricsEnvironment.scopedMetricsContainer(container.getMetricsContainer(stepName))) {
      return updated(reader.start());
    }
  }

  @Override
  public boolean invokeAdvance(ReaderT reader) throws IOException {
    if (!enabled) {
      return reader.advance();
    }
    try (Closeable ignored =
        MetricsEnvironment.scopedMetricsContainer(container.getMetricsContainer(stepName))) {
      return updated(reader.advance());
    }
  }

  private boolean updated(boolean more) {
    long now = nanoClock.getAsLong();
    if (!more || !updatedBefore || now - nextUpdate >= 0) {
      container.updateMetrics(stepName);
      updatedBefore = true;
      nextUpdate = now + everyNanos;
    }
    return more;
  }

  private static Object read(Object target, String fieldName) {
    try {
      Field field = ReaderInvocationUtil.class.getDeclaredField(fieldName);
      field.setAccessible(true);
      return field.get(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot read ReaderInvocationUtil."
              + fieldName
              + "; this correction is made for Beam 2.62's FlinkRunner",
          e);
    }
  }
}
