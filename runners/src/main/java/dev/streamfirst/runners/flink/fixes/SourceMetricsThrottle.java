package dev.streamfirst.runners.flink.fixes;

import java.lang.reflect.Field;
import org.apache.beam.runners.flink.metrics.ReaderInvocationUtil;
import org.apache.beam.runners.flink.metrics.ThrottledReaderInvocation;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSourceReaderBase;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.flink.api.connector.source.SourceReader;

/**
 * Makes a Beam source reader on Flink pass its metrics to Flink at most every {@link
 * ThrottledReaderInvocation#DEFAULT_EVERY} instead of after every record (see {@link
 * ThrottledReaderInvocation} for why). The reader keeps its invocation helper in a final field set
 * by its constructor, with no other way in, so it is replaced in place right after creation.
 */
final class SourceMetricsThrottle {
  private SourceMetricsThrottle() {}

  @SuppressWarnings({"rawtypes", "unchecked"})
  static <R extends SourceReader<?, ?>> R applyTo(R reader) {
    if (!(reader instanceof FlinkSourceReaderBase<?, ?> beamReader)) {
      return reader;
    }
    try {
      Field util = FlinkSourceReaderBase.class.getDeclaredField("invocationUtil");
      Field options = FlinkSourceReaderBase.class.getDeclaredField("pipelineOptions");
      util.setAccessible(true);
      options.setAccessible(true);
      ReaderInvocationUtil original = (ReaderInvocationUtil) util.get(beamReader);
      if (!(original instanceof ThrottledReaderInvocation)) {
        util.set(
            beamReader,
            ThrottledReaderInvocation.replacing(
                original,
                (PipelineOptions) options.get(beamReader),
                ThrottledReaderInvocation.DEFAULT_EVERY,
                System::nanoTime));
      }
      return reader;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot correct FlinkSourceReaderBase.invocationUtil; the FlinkRunner corrections are"
              + " made for Beam 2.62",
          e);
    }
  }
}
