package dev.streamfirst.runners.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads, once a second on a thread of its own, what a job under load looks like from Flink's REST
 * API: the heap each TaskManager uses, the job's checkpoints (each with its duration and status),
 * and how much of each second its busiest step spent back-pressured and busy. What it saw is kept
 * as {@link Sample}s and {@link Checkpoint}s, for a test to assert on and print.
 *
 * <pre>{@code
 * try (JobHealthSampler sampler = JobHealthSampler.start(cluster.rest(), jobId)) {
 *   ...
 *   long heap = sampler.samples().stream().mapToLong(JobHealthSampler.Sample::heapUsed).max()...
 * }
 * }</pre>
 */
public final class JobHealthSampler implements AutoCloseable {
  private static final Duration EVERY = Duration.ofSeconds(1);

  /**
   * One reading: the largest heap used over the TaskManagers, the checkpoints the job had completed
   * and failed so far, and, over its steps, the most milliseconds of a second any subtask spent
   * back-pressured and busy (Flink's {@code backPressuredTimeMsPerSecond}, {@code
   * busyTimeMsPerSecond}).
   */
  public record Sample(
      Instant at,
      long heapUsed,
      long heapMax,
      long completed,
      long failed,
      double backPressuredMs,
      double busyMs) {}

  /** One checkpoint as the job's history showed it last. */
  public record Checkpoint(
      long id, String status, Instant triggered, long durationMs, String failure) {}

  private final FlinkRest rest;
  private final String jobId;
  private final Thread thread;
  private final List<Sample> samples = new ArrayList<>();
  private final Map<Long, Checkpoint> checkpoints = new TreeMap<>();
  private final List<String> errors = new ArrayList<>();
  private volatile boolean running = true;

  private JobHealthSampler(FlinkRest rest, String jobId) {
    this.rest = rest;
    this.jobId = jobId;
    this.thread = new Thread(this::run, "job-health-" + jobId);
    this.thread.setDaemon(true);
  }

  /** Starts sampling the job {@code jobId}. */
  public static JobHealthSampler start(FlinkRest rest, String jobId) {
    JobHealthSampler sampler = new JobHealthSampler(rest, jobId);
    sampler.thread.start();
    return sampler;
  }

  public synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** Every checkpoint seen in the job's history, by id. */
  public synchronized List<Checkpoint> checkpoints() {
    return List.copyOf(checkpoints.values());
  }

  /** Readings that failed (the REST API answers 500 while a job is still being deployed). */
  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  /** The samples taken from {@code from} (inclusive) to {@code to} (exclusive). */
  public List<Sample> between(Instant from, Instant to) {
    return samples().stream().filter(s -> !s.at().isBefore(from) && s.at().isBefore(to)).toList();
  }

  /** The checkpoints triggered from {@code from} (inclusive) to {@code to} (exclusive). */
  public List<Checkpoint> triggeredBetween(Instant from, Instant to) {
    return checkpoints().stream()
        .filter(c -> !c.triggered().isBefore(from) && c.triggered().isBefore(to))
        .toList();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(10_000);
  }

  private void run() {
    while (running) {
      try {
        sampleOnce();
      } catch (IOException | RuntimeException e) {
        synchronized (this) {
          errors.add(Instant.now() + " " + e.getMessage());
        }
      }
      try {
        Thread.sleep(EVERY.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sampleOnce() throws IOException {
    Instant at = Instant.now();
    long heapUsed = 0;
    long heapMax = 0;
    for (String taskManager : rest.taskManagerIds()) {
      Map<String, Double> heap =
          values(
              rest.get(
                  "taskmanagers/"
                      + taskManager
                      + "/metrics?get=Status.JVM.Memory.Heap.Used,Status.JVM.Memory.Heap.Max"),
              "value");
      heapUsed =
          Math.max(heapUsed, heap.getOrDefault("Status.JVM.Memory.Heap.Used", 0.0).longValue());
      heapMax = Math.max(heapMax, heap.getOrDefault("Status.JVM.Memory.Heap.Max", 0.0).longValue());
    }
    double backPressured = 0;
    double busy = 0;
    for (JsonNode vertex : rest.get("jobs/" + jobId).path("vertices")) {
      Map<String, Double> max =
          values(
              rest.get(
                  "jobs/"
                      + jobId
                      + "/vertices/"
                      + vertex.path("id").asText()
                      + "/subtasks/metrics?agg=max&get=backPressuredTimeMsPerSecond,"
                      + "busyTimeMsPerSecond"),
              "max");
      backPressured =
          Math.max(backPressured, max.getOrDefault("backPressuredTimeMsPerSecond", 0.0));
      busy = Math.max(busy, max.getOrDefault("busyTimeMsPerSecond", 0.0));
    }
    JsonNode stats = rest.get("jobs/" + jobId + "/checkpoints");
    JsonNode counts = stats.path("counts");
    synchronized (this) {
      for (JsonNode c : stats.path("history")) {
        long id = c.path("id").asLong();
        checkpoints.put(
            id,
            new Checkpoint(
                id,
                c.path("status").asText(),
                Instant.ofEpochMilli(c.path("trigger_timestamp").asLong()),
                c.path("end_to_end_duration").asLong(),
                c.path("failure_message").asText("")));
      }
      samples.add(
          new Sample(
              at,
              heapUsed,
              heapMax,
              counts.path("completed").asLong(),
              counts.path("failed").asLong(),
              backPressured,
              busy));
    }
  }

  /** Metric id to its {@code field} ("value", or an aggregate such as "max"). */
  private static Map<String, Double> values(JsonNode metrics, String field) {
    Map<String, Double> values = new TreeMap<>();
    for (JsonNode m : metrics) {
      String value = m.path(field).asText("");
      if (!value.isEmpty()) {
        try {
          double v = Double.parseDouble(value);
          if (!Double.isNaN(v)) {
            values.put(m.path("id").asText(), v);
          }
        } catch (NumberFormatException e) {
          // A metric not reported yet answers "NaN" or nothing; it is left out.
        }
      }
    }
    return values;
  }
}
