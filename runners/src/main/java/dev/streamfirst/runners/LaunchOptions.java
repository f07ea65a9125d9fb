package dev.streamfirst.runners;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Options of the launcher itself, about the machine it runs on rather than the pipeline. */
public interface LaunchOptions extends PipelineOptions {
  @Description(
      "Replace the output of an earlier run in a file:// sink directory (--sink, --deadLetter,"
          + " --alertSink). Without it, a directory that already holds output is refused, so the"
          + " files of two runs never mix.")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean overwrite);

  @Description(
      "Where the run report goes (report.html and summary.json): a directory, or 'none' for no"
          + " report. Default: beside the rows when --sink is file:// (out/ for the default"
          + " out/rows), else ./out.")
  String getReport();

  void setReport(String report);

  @Description(
      "Serve the running job's metrics for Prometheus at http://<host>:<port>/metrics"
          + " (DirectRunner and Flink's embedded cluster; a Flink session cluster has its own"
          + " reporter). A port from 1 to 65535, e.g. 9400.")
  @Nullable Integer getMetricsPort();

  void setMetricsPort(@Nullable Integer port);

  @Description(
      "Append one JSON record per run to this audit log, a file:/// URI (a line each, e.g."
          + " file:///var/log/streamfirst/audit.jsonl) or a kafka:// topic (a record each, keyed"
          + " by job id): who (OS user), when, pipeline, runner,"
          + " options and URIs with secrets masked, job id, counters and exit status.")
  String getAuditLog();

  void setAuditLog(String auditLog);
}
