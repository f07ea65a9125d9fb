package dev.streamfirst.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A small client for the Flink REST API of a session cluster: what runs, savepoints, stopping.
 * Plain {@code java.net.http}, so it needs nothing from Flink on the classpath.
 *
 * <pre>{@code
 * FlinkRest rest = FlinkRest.at("localhost:8081");
 * String savepoint = rest.stopWithSavepoint(jobId, null, Duration.ofMinutes(2));
 * }</pre>
 */
public final class FlinkRest {
  /** Job states after which a job does not run again. */
  public static final Set<String> TERMINAL_STATES = Set.of("FINISHED", "CANCELED", "FAILED");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_EVERY = Duration.ofMillis(250);
  private static final Duration RETRY_EVERY = Duration.ofSeconds(1);

  private final URI base;
  private final HttpClient http;

  private FlinkRest(URI base) {
    this.base = base;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** The REST endpoint at {@code host:port}, e.g. {@code localhost:8081} (a FlinkRunner master). */
  public static FlinkRest at(String hostAndPort) {
    String address = hostAndPort.replaceFirst("^https?://", "").replaceAll("/+$", "");
    if (!address.matches("[^:/\\s]+:\\d+")) {
      throw new IllegalArgumentException(
          "a Flink REST address is host:port, e.g. localhost:8081; got '" + hostAndPort + "'");
    }
    return new FlinkRest(URI.create("http://" + address + "/"));
  }

  /** The web UI and REST root, e.g. {@code http://localhost:8081/}. */
  public URI uri() {
    return base;
  }

  /** One job as the cluster lists it. */
  public record Job(String id, String name, String state, Instant started, Duration duration) {}

  /**
   * The cluster overview (TaskManagers, slots, job counts, Flink version), or empty when nothing
   * answers at the address.
   */
  public Optional<JsonNode> overview() {
    try {
      return Optional.of(get("overview"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Every job the cluster knows, running or done, newest first. */
  public List<Job> jobs() throws IOException {
    List<Job> jobs = new ArrayList<>();
    for (JsonNode job : get("jobs/overview").path("jobs")) {
      jobs.add(
          new Job(
              job.path("jid").asText(),
              job.path("name").asText(),
              job.path("state").asText(),
              Instant.ofEpochMilli(job.path("start-time").asLong()),
              Duration.ofMillis(Math.max(0, job.path("duration").asLong()))));
    }
    jobs.sort((a, b) -> b.started().compareTo(a.started()));
    return jobs;
  }

  /** The newest job with this name (FlinkRunner names jobs after {@code --jobName}). */
  public Optional<Job> jobNamed(String name) throws IOException {
    return jobs().stream().filter(j -> j.name().equals(name)).findFirst();
  }

  /** The job's state: {@code CREATED}, {@code RUNNING}, {@code FINISHED}, {@code FAILED}, ... */
  public String jobState(String jobId) throws IOException {
    return get("jobs/" + jobId).path("state").asText();
  }

  /** Waits until the job is in one of {@code states}, failing if it ends in another one first. */
  public String awaitJobState(String jobId, Set<String> states, Duration timeout)
      throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      String state = jobState(jobId);
      if (states.contains(state)) {
        return state;
      }
      if (TERMINAL_STATES.contains(state)) {
        throw new IOException(
            "job " + jobId + " ended " + state + " while waiting for " + states + rootCause(jobId));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(
            "job " + jobId + " is still " + state + " after " + timeout + "; expected " + states);
      }
      pause(POLL_EVERY);
    }
  }

  /**
   * Takes a savepoint of a running job and leaves it running.
   *
   * @param targetDirectory where to write it; null for the cluster's {@code state.savepoints.dir}
   * @return the savepoint's path, for {@code --savepointPath}
   */
  public String triggerSavepoint(String jobId, String targetDirectory, Duration timeout)
      throws IOException {
    ObjectNode body = JSON.createObjectNode().put("cancel-job", false);
    if (targetDirectory != null) {
      body.put("target-directory", targetDirectory);
    }
    return savepoint(jobId, "jobs/" + jobId + "/savepoints", body, timeout);
  }

  /**
   * Stops a streaming job with a savepoint: sources stop, the savepoint is taken, the job ends
   * {@code FINISHED}. Without {@code drain} no end-of-input watermark is sent, so open windows and
   * timers stay in the savepoint and carry on in the job restored from it.
   *
   * @param targetDirectory where to write it; null for the cluster's {@code state.savepoints.dir}
   * @return the savepoint's path, for {@code --savepointPath}
   */
  public String stopWithSavepoint(
      String jobId, String targetDirectory, boolean drain, Duration timeout) throws IOException {
    ObjectNode body = JSON.createObjectNode().put("drain", drain);
    if (targetDirectory != null) {
      body.put("targetDirectory", targetDirectory);
    }
    return savepoint(jobId, "jobs/" + jobId + "/stop", body, timeout);
  }

  /**
   * The job's Beam counters in {@code namespace} as Flink reports them while it runs (Beam's own
   * metric results arrive only when a job ends): summed over steps and subtasks, by counter name.
   * Flink names them {@code <step>.<namespace>_<name>}.
   */
  public Map<String, Long> counters(String jobId, String namespace) throws IOException {
    String prefix = namespace + "_";
    Map<String, Long> totals = new TreeMap<>();
    for (JsonNode vertex : get("jobs/" + jobId).path("vertices")) {
      String metrics =
          "jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
      List<String> ids = new ArrayList<>();
      for (JsonNode metric : get(metrics)) {
        String id = metric.path("id").asText();
        if (id.substring(id.lastIndexOf('.') + 1).startsWith(prefix)) {
          ids.add(id);
        }
      }
      if (ids.isEmpty()) {
        continue;
      }
      String query = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
      for (JsonNode value : get(metrics + "?agg=sum&get=" + query)) {
        String id = value.path("id").asText();
        String name = id.substring(id.lastIndexOf('.') + 1 + prefix.length());
        totals.merge(name, value.path("sum").asLong(), Long::sum);
      }
    }
    return totals;
  }

  /**
   * One task of a job (a chain of operators) as the JobManager reports it: its parallelism, its max
   * parallelism (the key groups its keyed state is split into) and its records in and out.
   */
  public record Vertex(
      String id,
      String name,
      int parallelism,
      int maxParallelism,
      long readRecords,
      long writeRecords) {}

  /**
   * One parallel instance of a task: the records it took in and sent on, and for how long it was
   * busy, idle and back-pressured (milliseconds, since it started). The busiest subtask of a keyed
   * step is where a skewed key shows.
   */
  public record Subtask(
      int index,
      long readRecords,
      long writeRecords,
      long busyMillis,
      long idleMillis,
      long backPressuredMillis) {}

  /** The job's tasks, in the order of the job graph (sources first). */
  public List<Vertex> vertices(String jobId) throws IOException {
    List<Vertex> vertices = new ArrayList<>();
    for (JsonNode v : get("jobs/" + jobId).path("vertices")) {
      JsonNode metrics = v.path("metrics");
      vertices.add(
          new Vertex(
              v.path("id").asText(),
              v.path("name").asText(),
              v.path("parallelism").asInt(),
              v.path("maxParallelism").asInt(-1),
              metrics.path("read-records").asLong(),
              metrics.path("write-records").asLong()));
    }
    return vertices;
  }

  /** The parallel instances of one of the job's tasks ({@link Vertex#id()}). */
  public List<Subtask> subtasks(String jobId, String vertexId) throws IOException {
    List<Subtask> subtasks = new ArrayList<>();
    for (JsonNode s : get("jobs/" + jobId + "/vertices/" + vertexId).path("subtasks")) {
      JsonNode metrics = s.path("metrics");
      subtasks.add(
          new Subtask(
              s.path("subtask").asInt(),
              metrics.path("read-records").asLong(),
              metrics.path("write-records").asLong(),
              metrics.path("accumulated-busy-time").asLong(),
              metrics.path("accumulated-idle-time").asLong(),
              metrics.path("accumulated-backpressured-time").asLong()));
    }
    return subtasks;
  }

  /**
   * The ids of the TaskManagers the JobManager lists (a dead one until its heartbeat times out).
   */
  public List<String> taskManagerIds() throws IOException {
    List<String> ids = new ArrayList<>();
    for (JsonNode taskManager : get("taskmanagers").path("taskmanagers")) {
      ids.add(taskManager.path("id").asText());
    }
    return ids;
  }

  /** A checkpoint that completed: its number, and when it was triggered and completed. */
  public record CompletedCheckpoint(long id, Instant triggered, Instant completed) {}

  /** The job's latest completed checkpoint, if it has completed one. */
  public Optional<CompletedCheckpoint> latestCheckpoint(String jobId) throws IOException {
    JsonNode latest = get("jobs/" + jobId + "/checkpoints").path("latest").path("completed");
    if (latest.isMissingNode() || latest.isNull() || !latest.has("id")) {
      return Optional.empty();
    }
    return Optional.of(
        new CompletedCheckpoint(
            latest.path("id").asLong(),
            Instant.ofEpochMilli(latest.path("trigger_timestamp").asLong()),
            Instant.ofEpochMilli(latest.path("latest_ack_timestamp").asLong())));
  }

  /**
   * The checkpoint the job last restored its state from after a failure or a restart (not a
   * savepoint it was submitted with), if it has restored one.
   */
  public Optional<Long> latestRestoredCheckpoint(String jobId) throws IOException {
    JsonNode restored = get("jobs/" + jobId + "/checkpoints").path("latest").path("restored");
    if (!restored.has("id") || restored.path("is_savepoint").asBoolean(false)) {
      return Optional.empty();
    }
    return Optional.of(restored.path("id").asLong());
  }

  /**
   * Where a job's parallel subtasks run: per step (job vertex) name, the id of the TaskManager of
   * each subtask, in subtask order ({@code ""} for one not deployed).
   */
  public Map<String, List<String>> subtaskTaskManagers(String jobId) throws IOException {
    Map<String, List<String>> placement = new TreeMap<>();
    for (JsonNode vertex : get("jobs/" + jobId).path("vertices")) {
      List<String> taskManagers = new ArrayList<>();
      for (JsonNode subtask :
          get("jobs/" + jobId + "/vertices/" + vertex.path("id").asText()).path("subtasks")) {
        taskManagers.add(subtask.path("taskmanager-id").asText(""));
      }
      placement.put(vertex.path("name").asText(), taskManagers);
    }
    return placement;
  }

  /** Cancels a job without a savepoint. */
  public void cancel(String jobId) throws IOException {
    send(
        HttpRequest.newBuilder(base.resolve("jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  /**
   * Requests a savepoint and waits for it. A task that is just finishing (a source at the end of
   * its input, such as the impulse that starts a splittable read) declines it as not ready; that
   * passes with the next checkpoint, so the request is repeated until the timeout.
   */
  private String savepoint(String jobId, String path, JsonNode body, Duration timeout)
      throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      String request = post(path, body).path("request-id").asText();
      if (request.isEmpty()) {
        throw new IOException("the cluster did not accept the savepoint request for job " + jobId);
      }
      JsonNode operation = awaitOperation(jobId, request, deadline, timeout);
      if (operation.has("location")) {
        return operation.path("location").asText();
      }
      String failure = operation.path("failure-cause").path("stack-trace").asText("");
      if (!isTransient(failure) || Instant.now().isAfter(deadline)) {
        throw new IOException(
            "savepoint of job "
                + jobId
                + " failed: "
                + failure.lines().findFirst().orElse(operation.toString()));
      }
      pause(RETRY_EVERY);
    }
  }

  private JsonNode awaitOperation(
      String jobId, String requestId, Instant deadline, Duration timeout) throws IOException {
    while (true) {
      JsonNode status = get("jobs/" + jobId + "/savepoints/" + requestId);
      if ("COMPLETED".equals(status.path("status").path("id").asText())) {
        return status.path("operation");
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("savepoint of job " + jobId + " not done after " + timeout);
      }
      pause(POLL_EVERY);
    }
  }

  /**
   * Failures of a savepoint that come from asking a task that is finishing at that moment: it is
   * not ready, or it is gone from its TaskManager before the JobManager has heard of it.
   */
  private static boolean isTransient(String failure) {
    return failure.contains("tasks not ready")
        || failure.contains("unknown task")
        || failure.contains("Task local checkpoint failure")
        || failure.contains("not all required tasks are currently running");
  }

  private String rootCause(String jobId) {
    try {
      JsonNode root = get("jobs/" + jobId + "/exceptions").path("root-exception");
      return root.isMissingNode() || root.isNull()
          ? ""
          : ": " + root.asText().lines().findFirst().orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  JsonNode get(String path) throws IOException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  JsonNode post(String path, JsonNode body) throws IOException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException {
    HttpResponse<String> response;
    try {
      response =
          http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IOException("no Flink cluster answers at " + base, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling " + base, e);
    }
    String body = response.body();
    if (response.statusCode() >= 300) {
      throw new IOException(
          "Flink REST "
              + request.build().method()
              + " "
              + request.build().uri().getPath()
              + " answered "
              + response.statusCode()
              + ": "
              + errors(body));
    }
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("Flink REST answered something that is not JSON: " + body, e);
    }
  }

  private static String errors(String body) {
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      if (errors.isArray() && errors.size() > 0) {
        return errors.get(0).asText().lines().findFirst().orElse(body);
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON: the body itself is the best description there is.
    }
    return body;
  }

  private static void pause(Duration duration) throws IOException {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the Flink cluster", e);
    }
  }
}
