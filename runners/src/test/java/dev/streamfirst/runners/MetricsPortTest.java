package dev.streamfirst.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code --metricsPort}: the launcher serves the running job's metrics in Prometheus' text format,
 * on DirectRunner and on Flink's embedded cluster, and refuses a port it cannot use before the job
 * starts.
 */
public class MetricsPortTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private Launcher launcher() {
    return new Launcher(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void directRunner_servesGrowingCountersWhileTheJobRuns() throws Exception {
    List<String> scrapes =
        servesGrowingCountersWhileTheJobRuns(
            "streamfirst_",
            "_total",
            "generator://events?rate=200&malformed=0.05&duplicates=0.05",
            "--runner=DirectRunner");
    // The second scrape, 2.5 s after the first rows: the first can come before any dead letter
    // has been written, now that rows come out within a fraction of a second.
    String later = scrapes.get(1);
    assertThat(later, containsString("# TYPE streamfirst_events_read_total counter"));
    assertThat(later, containsString("pipeline=\"rollup\""));
    assertThat(later, containsString("streamfirst_dead_letters_by_reason_total{"));
    assertThat(later, containsString("reason=\"not_json\""));
    assertThat(later, containsString("# TYPE streamfirst_row_latency_ms summary"));
    assertThat(later, containsString("streamfirst_row_latency_ms_count{"));
  }

  @Test
  public void flinkLocal_servesGrowingCountersWhileTheJobRuns() throws Exception {
    List<String> scrapes =
        servesGrowingCountersWhileTheJobRuns(
            "flink_taskmanager_job_task_operator_streamfirst_",
            "",
            // Bounded: an attached [local] run cannot be stopped from the launcher's thread
            // before it returns, so the job ends by itself.
            "generator://events?rate=200&count=3000&malformed=0.05&duplicates=0.05",
            "--runner=FlinkRunner",
            "--flinkMaster=[local]");
    String later = scrapes.get(1);
    assertThat(later, containsString("job_name=\"rollup"));
    assertThat(
        later,
        containsString("flink_taskmanager_job_task_operator_streamfirst_dead_letters_parse_"));
    assertThat(
        later,
        containsString("flink_taskmanager_job_task_operator_streamfirst_row_latency_ms_latest{"));
  }

  private List<String> servesGrowingCountersWhileTheJobRuns(
      String prefix, String suffix, String source, String... runner) throws Exception {
    boolean unbounded = !source.contains("count=");
    int port = freePort();
    Path dir = tmp.newFolder().toPath();
    Launcher launcher = launcher();
    List<String> scrapes = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread watcher =
        new Thread(
            () -> {
              try {
                long deadline = System.currentTimeMillis() + 90_000;
                while (System.currentTimeMillis() < deadline) {
                  String body = scrape(port);
                  if (body != null && value(body, prefix + "rows_written" + suffix) > 0) {
                    scrapes.add(body);
                    if (scrapes.size() == 1) {
                      Thread.sleep(2_500);
                      continue;
                    }
                    break;
                  }
                  Thread.sleep(300);
                }
              } catch (Exception e) {
                failure.set(e);
              } finally {
                try {
                  while (unbounded && !launcher.requestStop()) {
                    Thread.sleep(100);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    watcher.start();
    List<String> args = new ArrayList<>(List.of("run", "rollup"));
    args.addAll(List.of(runner));
    args.addAll(
        List.of(
            "--source=" + source,
            "--window=fixed:1s",
            "--metricsPort=" + port,
            "--sink=file://" + dir.resolve("rows"),
            "--deadLetter=file://" + dir.resolve("dead")));
    int code = launcher.run(args.toArray(new String[0]));
    watcher.join();

    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    assertEquals(err(), Launcher.OK, code);
    assertThat(err(), containsString("http://localhost:" + port + "/metrics"));
    assertEquals("scrapes with rows, while it ran: " + err(), 2, scrapes.size());
    String first = scrapes.get(0);
    String second = scrapes.get(1);
    double readBefore = value(first, prefix + "events_read" + suffix);
    assertThat(readBefore, greaterThan(0.0));
    assertThat(value(second, prefix + "events_read" + suffix), greaterThan(readBefore));
    assertThat(
        value(second, prefix + "events_valid" + suffix),
        org.hamcrest.Matchers.lessThan(value(second, prefix + "events_read" + suffix)));
    // The endpoint goes away with the run (Flink's embedded cluster closes its reporter as it
    // shuts down, which may take a moment after the job has ended).
    long until = System.currentTimeMillis() + 30_000;
    while (scrape(port) != null && System.currentTimeMillis() < until) {
      Thread.sleep(200);
    }
    assertEquals(null, scrape(port));
    return scrapes;
  }

  @Test
  public void portOutOfRange_isRefusedBeforeTheJobStarts() throws Exception {
    Path dir = tmp.newFolder().toPath();
    int code =
        launcher()
            .run(
                new String[] {
                  "run",
                  "rollup",
                  "--source=generator://events?count=10",
                  "--metricsPort=70000",
                  "--sink=file://" + dir.resolve("rows"),
                  "--deadLetter=file://" + dir.resolve("dead")
                });
    assertEquals(Launcher.USAGE, code);
    assertThat(
        err(), containsString("--metricsPort=70000: must be a TCP port from 1 to 65535, e.g."));
  }

  @Test
  public void portInUse_isRefusedBeforeTheJobStarts() throws Exception {
    Path dir = tmp.newFolder().toPath();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
      int code =
          launcher()
              .run(
                  new String[] {
                    "run",
                    "rollup",
                    "--source=generator://events?count=10",
                    "--metricsPort=" + taken.getLocalPort(),
                    "--sink=file://" + dir.resolve("rows"),
                    "--deadLetter=file://" + dir.resolve("dead")
                  });
      assertEquals(Launcher.USAGE, code);
      assertThat(
          err(),
          containsString("--metricsPort=" + taken.getLocalPort() + ": cannot listen on that port"));
      assertThat(err(), org.hamcrest.Matchers.not(containsString("Serving")));
      assertThat(err(), org.hamcrest.Matchers.not(containsString("Done")));
    }
  }

  @Test
  public void onAFlinkCluster_pointsAtTheClustersReporter() {
    PlannedRun run =
        PlannedRun.of(
            org.apache.beam.sdk.Pipeline.create(
                org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs(
                        "--runner=FlinkRunner",
                        "--flinkMaster=localhost:8081",
                        "--metricsPort=9400")
                    .as(LaunchOptions.class)),
            "--runner=FlinkRunner",
            "--flinkMaster=localhost:8081",
            "--metricsPort=9400");
    List<String> problems = RunnerChecks.metricsPort(run);
    assertEquals(1, problems.size());
    assertThat(problems.get(0), containsString("the cluster's own Prometheus reporter"));
  }

  @Test
  public void onFlinksCollectionEnvironment_pointsAtLocal() {
    String[] flags = {"--runner=FlinkRunner", "--flinkMaster=[collection]", "--metricsPort=9400"};
    PlannedRun run =
        PlannedRun.of(
            org.apache.beam.sdk.Pipeline.create(
                org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs(flags)
                    .as(LaunchOptions.class)),
            flags);
    assertEquals(
        List.of(
            "--metricsPort=9400: on Flink it is served by the embedded cluster of"
                + " --flinkMaster=[local]; use that, or drop --metricsPort"),
        RunnerChecks.metricsPort(run));
  }

  /** The sum of every series of {@code name}, 0 when there is none. */
  private static double value(String body, String name) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(body);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(2));
    }
    return sum;
  }

  /** The metrics page, or null while nothing listens. */
  private static String scrape(int port) throws IOException, InterruptedException {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertNotNull(response.body());
      if (response.statusCode() != 200) {
        fail("HTTP " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (ConnectException e) {
      return null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
