package dev.streamfirst.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A running job's checkpoints as the Flink REST API reports them: the size of a completed one per
 * operator (what the state backend wrote for it, which is the state that operator holds), and how
 * long checkpoints took.
 *
 * <pre>{@code
 * CheckpointStats sizes = CheckpointStats.at("localhost:8081");
 * String vertex = sizes.vertexNamed(jobId, "DropDuplicates");
 * Completed c = sizes.completedAfter(jobId, System.currentTimeMillis(), Duration.ofMinutes(1));
 * long bytes = sizes.stateSize(jobId, c.id(), vertex);
 * }</pre>
 */
final class CheckpointStats {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A completed checkpoint: its id, when it was triggered, and the job's whole state size. */
  record Completed(long id, long triggeredAt, long stateSize) {}

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private CheckpointStats(URI base) {
    this.base = base;
  }

  static CheckpointStats at(String hostAndPort) {
    return new CheckpointStats(URI.create("http://" + hostAndPort + "/"));
  }

  /** The id of the job's first vertex (operator chain) whose name contains {@code part}. */
  String vertexNamed(String jobId, String part) throws IOException {
    for (JsonNode vertex : get("jobs/" + jobId).path("vertices")) {
      if (vertex.path("name").asText().contains(part)) {
        return vertex.path("id").asText();
      }
    }
    throw new IOException("job " + jobId + " has no vertex whose name contains " + part);
  }

  /** Waits for a checkpoint triggered after {@code millis} to complete. */
  Completed completedAfter(String jobId, long millis, Duration timeout) throws IOException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (true) {
      Optional<Completed> latest = latest(jobId);
      if (latest.isPresent() && latest.get().triggeredAt() > millis) {
        return latest.get();
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IOException(
            "no checkpoint of job " + jobId + " triggered after " + millis + " completed");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  /** The state size of one vertex (all its subtasks) in a completed checkpoint, in bytes. */
  long stateSize(String jobId, long checkpointId, String vertexId) throws IOException {
    JsonNode task =
        get("jobs/" + jobId + "/checkpoints/details/" + checkpointId).path("tasks").path(vertexId);
    if (task.isMissingNode()) {
      throw new IOException("checkpoint " + checkpointId + " has no entry for vertex " + vertexId);
    }
    return task.path("state_size").asLong();
  }

  /** How many checkpoints completed, and their end-to-end durations' median and maximum (ms). */
  record Durations(long completed, long p50, long max) {}

  Durations durations(String jobId) throws IOException {
    JsonNode checkpoints = get("jobs/" + jobId + "/checkpoints");
    JsonNode duration = checkpoints.path("summary").path("end_to_end_duration");
    return new Durations(
        checkpoints.path("counts").path("completed").asLong(),
        duration.path("p50").asLong(),
        duration.path("max").asLong());
  }

  private Optional<Completed> latest(String jobId) throws IOException {
    JsonNode completed = get("jobs/" + jobId + "/checkpoints").path("latest").path("completed");
    if (completed.isMissingNode() || completed.isNull()) {
      return Optional.empty();
    }
    return Optional.of(
        new Completed(
            completed.path("id").asLong(),
            completed.path("trigger_timestamp").asLong(),
            completed.path("state_size").asLong()));
  }

  private JsonNode get(String path) throws IOException {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IOException("GET " + path + " answered " + response.statusCode());
      }
      return JSON.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling " + base, e);
    }
  }
}
