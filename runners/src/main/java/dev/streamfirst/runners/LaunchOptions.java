package dev.streamfirst.runners;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

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
      "Append one JSON line per run to this audit log, a file:/// URI, e.g."
          + " file:///var/log/streamfirst/audit.jsonl: who (OS user), when, pipeline, runner,"
          + " options and URIs with secrets masked, job id, counters and exit status.")
  String getAuditLog();

  void setAuditLog(String auditLog);
}
