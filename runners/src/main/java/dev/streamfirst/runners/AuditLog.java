package dev.streamfirst.runners;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfirst.io.Secrets;
import dev.streamfirst.pipelines.options.AlertOptions;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The audit trail: one JSON line per run, appended to {@code --auditLog=file:///abs/audit.jsonl}. A
 * line says who ran what, where, when and how it ended: the OS user, start and end time, the
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
 * <p>Lines are appended under an exclusive file lock, so runs on one machine sharing a log never
 * interleave; nothing ever rewrites or truncates the file.
 */
final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String EXAMPLE = "file:///var/log/streamfirst/audit.jsonl";

  private final Path path;

  private AuditLog(Path path) {
    this.path = path;
  }

  /**
   * The log that {@code uri} names.
   *
   * @throws IllegalArgumentException if it is not a {@code file:} URI of an absolute path
   */
  static AuditLog of(String uri) {
    if (uri == null || !uri.startsWith("file:///")) {
      throw new IllegalArgumentException(
          "--auditLog must be a file:/// URI of an absolute path, e.g. --auditLog="
              + EXAMPLE
              + ", got '"
              + Secrets.maskUri(uri)
              + "'");
    }
    Path path = Paths.get(uri.substring("file://".length()));
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException(
          "--auditLog=" + uri + " is a directory; name a file in it, e.g. " + EXAMPLE);
    }
    Path parent = path.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IllegalArgumentException(
          "--auditLog=" + uri + ": directory " + parent + " does not exist; create it first");
    }
    return new AuditLog(path);
  }

  Path path() {
    return path;
  }

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

  /** Appends {@code record} as one line, under an exclusive lock. */
  void append(ObjectNode record) throws IOException {
    byte[] line = (record.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel =
            FileChannel.open(
                path,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        FileLock lock = channel.lock()) {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
