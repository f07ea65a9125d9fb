package dev.streamfirst.runners.flink;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Flink settings that Beam's {@code FlinkPipelineOptions} do not offer, applied by the launcher's
 * {@code CorrectedFlinkRunner} to streaming jobs.
 */
public interface FlinkNetworkOptions extends PipelineOptions {
  /** The default of {@link #getNetworkBufferTimeoutMs()}. */
  long DEFAULT_NETWORK_BUFFER_TIMEOUT_MS = 10;

  @Description(
      "Flink streaming: how long a partly filled network buffer between two tasks may wait before"
          + " it is sent, in ms. Each exchange (every grouping step) adds up to this much to a"
          + " result's latency; Flink's own default is 100. 0 sends every record at once (more,"
          + " smaller buffers).")
  @Default.Long(DEFAULT_NETWORK_BUFFER_TIMEOUT_MS)
  Long getNetworkBufferTimeoutMs();

  void setNetworkBufferTimeoutMs(Long millis);
}
