package dev.streamfirst.runners;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfirst.io.Secrets;
import dev.streamfirst.pipelines.options.AlertOptions;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The audit trail: one JSON record per run, appended to {@code --auditLog=file:///abs/audit.jsonl}
 * (one line each) or to a Kafka topic, {@code --auditLog=kafka://host:port/topic[?...]} (one record
 * each, keyed by the job id; the URI takes the sink's client properties, SASL_SSL included). A
 * record says who ran what, where, when and how it ended: the OS user, start and end time, the
 * pipeline, the runner, every flag given (secret values masked, secret references kept as
 * references), the source and sink URIs (masked), the job id (the run's {@code --jobName}, which
 * every dead letter carries, and the runner's own job id when it has one), the counters, and the
 * exit status.
 *
 * <pre>{@code
 * {"user":"etl","started":"2026-12-03T16:05:12Z","ended":"...","pipeline":"rollup",
 *  "runner":"DirectRunner","jobId":"rollup-etl-1203160512-ab12cd34","exitCode":0,"status":"DONE",...}
 * }</pre>
 *
 * <p>Neither destination is ever rewritten: a file is appended to under an exclusive lock, so runs
 * on one machine sharing it never interleave; a topic only ever grows (keep it with {@code
 * cleanup.policy=delete} and the retention an audit needs, never compacted).
 */
abstract class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String EXAMPLE = "file:///var/log/streamfirst/audit.jsonl";
  static final String KAFKA_EXAMPLE = "kafka://broker:9092/streamfirst-audit";

  /**
   * The log that {@code uri} names.
   *
   * @throws IllegalArgumentException if it is neither a {@code file:} URI of an absolute path in an
   *     existing directory nor a valid {@code kafka://} URI
   */
  static AuditLog of(String uri) {
    if (uri != null && uri.startsWith("kafka://")) {
      return KafkaAuditLog.of(uri);
    }
    if (uri == null || !uri.startsWith("file:///")) {
      throw new IllegalArgumentException(
          "--auditLog must be a file:/// URI of an absolute path or a kafka:// topic, e.g."
              + " --auditLog="
              + EXAMPLE
              + " or --auditLog="
              + KAFKA_EXAMPLE
              + ", got '"
              + Secrets.maskUri(uri)
              + "'");
    }
    return FileAuditLog.of(uri);
  }

  /** Where records go, for messages: a path or a masked URI. */
  abstract String describe();

  /** Appends {@code record}; once this returns, the record is durable. */
  abstract void append(ObjectNode record) throws IOException;

  /** What a record needs to know about one run. */
  record Run(
      String pipeline,
      String[] flags,
      PipelineOptions options,
      Instant started,
      Instant ended,
      String runnerJobId,
      Map<String, Long> counters,
      int exitCode,
      String status) {}

  /** The record of {@code run}, one JSON object. */
  static ObjectNode record(Run run) {
    ObjectNode node = JSON.createObjectNode();
    node.put("user", System.getProperty("user.name"));
    node.put("host", hostName());
    node.put("started", run.started().toString());
    node.put("ended", run.ended().toString());
    node.put("pipeline", run.pipeline());
    node.put("runner", run.options().getRunner().getSimpleName());
    node.put("jobId", run.options().getJobName());
    if (run.runnerJobId() != null) {
      node.put("runnerJobId", run.runnerJobId());
    }
    ObjectNode io = node.putObject("io");
    if (run.options() instanceof SourceOptions source) {
      io.put("source", Secrets.maskUri(source.getSource()));
    }
    if (run.options() instanceof SinkOptions sinks) {
      io.put("sink", Secrets.maskUri(sinks.getSink()));
      io.put("deadLetter", Secrets.maskUri(sinks.getDeadLetter()));
    }
    if (run.options() instanceof AlertOptions alerts && alerts.getAlertSink() != null) {
      io.put("alertSink", Secrets.maskUri(alerts.getAlertSink()));
    }
    ObjectNode flags = node.putObject("options");
    for (String flag : run.flags()) {
      if (!flag.startsWith("--")) {
        continue;
      }
      int eq = flag.indexOf('=');
      String name = eq < 0 ? flag.substring(2) : flag.substring(2, eq);
      String value = eq < 0 ? "true" : flag.substring(eq + 1);
      flags.put(name, Secrets.mask(name, Secrets.maskUri(value)));
    }
    ObjectNode counters = node.putObject("counters");
    new TreeMap<>(run.counters()).forEach(counters::put);
    node.put("exitCode", run.exitCode());
    node.put("status", run.status());
    return node;
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
