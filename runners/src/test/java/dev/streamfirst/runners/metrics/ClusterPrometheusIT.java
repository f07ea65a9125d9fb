package dev.streamfirst.runners.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.runners.flink.FlinkSessionCluster;
import dev.streamfirst.runners.flink.SharedFlinkCluster;
import dev.streamfirst.testing.servers.http.ScriptedHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A rollup with lookups runs on the shared Flink session cluster; a real Prometheus server scrapes
 * the cluster's reporter, and PromQL over its HTTP API returns the job's Streamfirst metrics with
 * sane values, every query of the Grafana dashboard runs, and the alert rules load.
 */
public class ClusterPrometheusIT {
  private static final String F = "flink_taskmanager_job_task_operator_streamfirst_";
  private static final String JOB = "{job_name=~\"rollup.*\"}";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void clusterMetrics_reachPrometheus_andEveryDashboardQueryRuns() throws Exception {
    FlinkSessionCluster cluster = SharedFlinkCluster.get();
    SharedPrometheus prometheus = SharedPrometheus.scraping(SharedFlinkCluster.metricsPort());
    Path out = tmp.newFolder().toPath();
    try (ScriptedHttpServer lookups = ScriptedHttpServer.start()) {
      for (int k = 0; k < 4; k++) {
        lookups.put("key-" + k, "{\"site\":\"s" + k + "\"}");
      }
      lookups.failNext(1, 503);
      PipelineResult job =
          PreparedRun.of(
                  PipelineCatalog.find("rollup").orElseThrow(),
                  "--runner=FlinkRunner",
                  "--flinkMaster=" + cluster.master(),
                  "--filesToStage=" + SharedFlinkCluster.bundledJar(),
                  "--parallelism=1",
                  "--source=generator://events?rate=100&keys=6&duplicates=0.1&malformed=0.05"
                      + "&late=0.05&lateBy=30s&disorder=1s",
                  "--window=fixed:2s",
                  "--allowedLateness=0s",
                  "--reference=" + lookups.uri("/batch"),
                  "--referenceField=site",
                  "--sink=file://" + out.resolve("rows"),
                  "--deadLetter=file://" + out.resolve("dead"))
              .run();
      try {
        await(prometheus, "sum(" + F + "rows_written" + JOB + ")", v -> v > 0);
        // A few more scrapes, for rates over them.
        await(prometheus, "sum(" + F + "events_read" + JOB + ")", v -> v > 600);

        double read = prometheus.value("sum(" + F + "events_read" + JOB + ")");
        double valid = prometheus.value("sum(" + F + "events_valid" + JOB + ")");
        double duplicates = prometheus.value("sum(" + F + "duplicates_dropped" + JOB + ")");
        double deadLetters = prometheus.value("sum(" + F + "dead_letters" + JOB + ")");
        double rate = prometheus.value("sum(rate(" + F + "events_read" + JOB + "[20s]))");
        double lag = prometheus.value("max(" + F + "event_time_lag_ms_latest" + JOB + ")");
        double rowLatency = prometheus.value("max(" + F + "row_latency_ms_latest" + JOB + ")");
        double lookupsMade = prometheus.value("sum(" + F + "enrich_lookups" + JOB + ")");
        double cacheHits = prometheus.value("sum(" + F + "enrich_cache_hits" + JOB + ")");
        double retries = prometheus.value("sum(" + F + "enrich_retries" + JOB + ")");
        double parseDeadLetters =
            prometheus.value(
                "sum({__name__=~\"" + F + "dead_letters_parse_.+\",job_name=~\"rollup.*\"})");
        String seen =
            String.format(
                "read %.0f, valid %.0f, duplicates %.0f, dead letters %.0f (parse %.0f),"
                    + " read rate %.1f/s, lag %.0f ms, row latency %.0f ms, lookups %.0f,"
                    + " cache hits %.0f, retries %.0f",
                read,
                valid,
                duplicates,
                deadLetters,
                parseDeadLetters,
                rate,
                lag,
                rowLatency,
                lookupsMade,
                cacheHits,
                retries);
        System.out.println("PromQL on the cluster's metrics: " + seen);
        assertThat(seen, valid, greaterThan(0.0));
        assertThat(seen, valid, lessThan(read));
        assertThat(seen, duplicates, greaterThan(0.0));
        assertThat(seen, parseDeadLetters, greaterThan(0.0));
        assertTrue(seen, parseDeadLetters <= deadLetters);
        // The generator sends at most 100 events a second (fewer on a busy machine; Prometheus'
        // rate extrapolates a little).
        assertThat(seen, rate, greaterThan(1.0));
        assertThat(seen, rate, lessThan(300.0));
        // Event time is the clock's: the watermark and the rows trail it by seconds (tens of
        // them on a loaded machine), not by hours.
        assertTrue(seen, lag >= 0 && lag < 300_000);
        assertTrue(seen, rowLatency >= 0 && rowLatency < 300_000);
        assertThat(seen, lookupsMade, greaterThan(0.0));
        assertThat(seen, cacheHits, greaterThan(0.0));
        assertThat(seen, retries, greaterThan(0.0));

        everyDashboardQueryRuns(prometheus);
        rulesAreLoaded(prometheus);
      } finally {
        job.cancel();
      }
    }
  }

  private static void everyDashboardQueryRuns(SharedPrometheus prometheus) throws Exception {
    JsonNode dashboard =
        JSON.readTree(
            Files.readString(
                PrometheusTools.monitoring().resolve("grafana/streamfirst-dashboard.json")));
    List<String> empty = new ArrayList<>();
    int queries = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      String title = panel.path("title").asText();
      boolean panelHasData = false;
      for (JsonNode target : panel.path("targets")) {
        // What Grafana substitutes before it sends a query.
        String expr = target.path("expr").asText().replace("$__rate_interval", "30s");
        JsonNode result = prometheus.query(expr);
        queries++;
        panelHasData |= !result.isEmpty();
      }
      if (!panelHasData) {
        empty.add(title);
      }
    }
    System.out.println("Dashboard: " + queries + " queries ran; panels without data: " + empty);
    // A rollup raises no alerts; every other panel shows this job.
    assertEquals(List.of("Alerts opened and resolved per minute"), empty);
  }

  private static void rulesAreLoaded(SharedPrometheus prometheus) throws Exception {
    JsonNode groups = prometheus.get("api/v1/rules").path("data").path("groups");
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : groups) {
      for (JsonNode rule : group.path("rules")) {
        assertFalse(rule.toString(), "err".equals(rule.path("health").asText()));
        alerts.add(rule.path("name").asText());
      }
    }
    assertEquals(
        List.of(
            "StreamfirstDeadLetterRate",
            "StreamfirstLagGrowing",
            "StreamfirstNoOutput",
            "StreamfirstJobRestarts"),
        alerts);
  }

  private static void await(SharedPrometheus prometheus, String promql, DoublePredicate until)
      throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    double value = Double.NaN;
    while (System.currentTimeMillis() < deadline) {
      value = prometheus.value(promql);
      if (!Double.isNaN(value) && until.test(value)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "waited 90 s for "
            + promql
            + "; last value "
            + value
            + " (Prometheus "
            + prometheus.uri()
            + ")");
  }
}
