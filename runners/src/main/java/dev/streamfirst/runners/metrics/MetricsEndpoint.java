package dev.streamfirst.runners.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Serves a running job's Beam metrics in Prometheus' text format at {@code /metrics}, for {@code
 * --metricsPort}: a background thread polls {@link PipelineResult#metrics()} every {@link
 * #POLL_EVERY} and a scrape gets the latest poll, so a slow metrics query never holds a scrape up
 * and the last values stay after the job ends, until the endpoint is closed.
 *
 * <pre>{@code
 * try (MetricsEndpoint endpoint = MetricsEndpoint.start(9400, "rollup")) {
 *   PipelineResult result = pipeline.run();
 *   endpoint.follow(result);
 *   result.waitUntilFinish();
 * }
 * }</pre>
 */
public final class MetricsEndpoint implements AutoCloseable {
  /** How often the job's metrics are read. */
  public static final Duration POLL_EVERY = Duration.ofSeconds(1);

  private static final MetricsFilter OURS =
      MetricsFilter.builder()
          .addNameFilter(
              MetricNameFilter.inNamespace(
                  dev.streamfirst.transforms.metrics.StreamfirstMetrics.NAMESPACE))
          .build();

  private final HTTPServer server;
  private final String pipeline;
  private final AtomicReference<MetricSnapshots> latest =
      new AtomicReference<>(MetricSnapshots.of());
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "metrics-endpoint-poller");
            t.setDaemon(true);
            return t;
          });
  private volatile @Nullable PipelineResult result;
  private volatile @Nullable String lastError;

  private MetricsEndpoint(HTTPServer server, String pipeline) {
    this.server = server;
    this.pipeline = pipeline;
  }

  /**
   * Listens on {@code port} on all interfaces (a Prometheus server elsewhere may scrape it); the
   * job is attached with {@link #follow} once submitted, so a taken port is refused before the job
   * starts.
   *
   * @throws IOException when the port cannot be bound
   */
  public static MetricsEndpoint start(int port, String pipeline) throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    AtomicReference<MetricsEndpoint> self = new AtomicReference<>();
    registry.register((MultiCollector) () -> self.get().latest.get());
    HTTPServer server =
        HTTPServer.builder()
            .inetAddress(InetAddress.getByName("0.0.0.0"))
            .port(port)
            .registry(registry)
            .buildAndStart();
    MetricsEndpoint endpoint = new MetricsEndpoint(server, pipeline);
    self.set(endpoint);
    return endpoint;
  }

  /** Starts polling {@code job}'s metrics. */
  public void follow(PipelineResult job) {
    this.result = job;
    poller.scheduleWithFixedDelay(this::poll, 0, POLL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads the job's metrics now; the next scrape serves them. */
  public void poll() {
    PipelineResult job = result;
    if (job == null) {
      return;
    }
    try {
      latest.set(PrometheusSnapshots.of(job.metrics().queryMetrics(OURS), pipeline));
      lastError = null;
    } catch (RuntimeException e) {
      // A runner may not answer while the job starts or stops; the previous poll stays served.
      String error = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (!error.equals(lastError)) {
        System.err.println("warning: could not read the job's metrics: " + error);
      }
      lastError = error;
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getPort();
  }

  /** Why the last poll failed, if it did. */
  public @Nullable String lastError() {
    return lastError;
  }

  @Override
  public void close() {
    poller.shutdownNow();
    server.close();
  }
}
