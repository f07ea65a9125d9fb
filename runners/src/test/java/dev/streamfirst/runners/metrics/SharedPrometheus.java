package dev.streamfirst.runners.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The one real Prometheus server of a test JVM (Debian's {@code prometheus}, run directly, not as a
 * service): started by the first test that asks for it, on a free loopback port, with a generated
 * configuration that scrapes the shared Flink cluster's two reporter ports every second and loads
 * the project's alert rules; stopped when the JVM exits.
 *
 * <pre>{@code
 * SharedPrometheus prometheus = SharedPrometheus.scraping(SharedFlinkCluster.metricsPort());
 * JsonNode series = prometheus.query("sum(flink_jobmanager_numRunningJobs)");
 * }</pre>
 */
final class SharedPrometheus {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static SharedPrometheus instance;

  private final Process process;
  private final URI uri;
  private final Path home;

  private SharedPrometheus(Process process, URI uri, Path home) {
    this.process = process;
    this.uri = uri;
    this.home = home;
  }

  /** The server, started on first use to scrape {@code metricsPort} and the port after it. */
  static synchronized SharedPrometheus scraping(int metricsPort) {
    if (instance == null) {
      try {
        instance = start(metricsPort);
      } catch (IOException e) {
        throw new UncheckedIOException("could not start Prometheus", e);
      }
    }
    return instance;
  }

  private static SharedPrometheus start(int metricsPort) throws IOException {
    Path binary = PrometheusTools.program("prometheus");
    Path home = Files.createTempDirectory("streamfirst-prometheus");
    Path rules = PrometheusTools.monitoring().resolve("prometheus/streamfirst-rules.yml");
    Path config = home.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "rule_files:",
            "  - " + rules,
            "scrape_configs:",
            "  - job_name: flink",
            "    static_configs:",
            "      - targets: ['127.0.0.1:"
                + metricsPort
                + "', '127.0.0.1:"
                + (metricsPort + 1)
                + "']",
            ""),
        StandardCharsets.UTF_8);
    int port = freePort();
    Process process =
        new ProcessBuilder(
                List.of(
                    binary.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + home.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn"))
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("prometheus.log").toFile())
            .start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  process.destroy();
                  try {
                    process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                    deleteTree(home);
                  } catch (InterruptedException | IOException ignored) {
                    // The JVM is going down; a temporary folder left behind is harmless.
                  }
                }));
    SharedPrometheus prometheus =
        new SharedPrometheus(process, URI.create("http://127.0.0.1:" + port + "/"), home);
    prometheus.awaitReady(Duration.ofSeconds(60));
    System.out.println("Shared Prometheus up at " + prometheus.uri + " (home " + home + ")");
    return prometheus;
  }

  URI uri() {
    return uri;
  }

  /** The {@code data.result} of an instant query; fails on an error answer. */
  JsonNode query(String promql) throws IOException, InterruptedException {
    JsonNode answer =
        get("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (!"success".equals(answer.path("status").asText())) {
      throw new AssertionError("PromQL failed: " + promql + "\n" + answer);
    }
    return answer.path("data").path("result");
  }

  /** The sum of the values of an instant query's series; NaN when there are none. */
  double value(String promql) throws IOException, InterruptedException {
    JsonNode result = query(promql);
    if (result.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (JsonNode series : result) {
      sum += Double.parseDouble(series.path("value").get(1).asText());
    }
    return sum;
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private void awaitReady(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "prometheus exited with "
                + process.exitValue()
                + ": "
                + Files.readString(home.resolve("prometheus.log")));
      }
      try {
        HttpResponse<String> ready =
            HTTP.send(
                HttpRequest.newBuilder(uri.resolve("-/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Still starting.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Prometheus", e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for Prometheus", e);
      }
    }
    throw new IOException("Prometheus was not ready in " + timeout + "; log in " + home);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
