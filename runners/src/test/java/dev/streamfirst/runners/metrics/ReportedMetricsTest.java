package dev.streamfirst.runners.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.runners.PreparedRun;
import dev.streamfirst.testing.servers.http.ScriptedHttpServer;
import dev.streamfirst.transforms.errors.DeadLetterReason;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Every metric of {@link StreamfirstMetrics} is reported, under the same name, on DirectRunner and
 * on FlinkRunner's embedded cluster: a rollup with an HTTP lookup over a generator with duplicates,
 * malformed and late events, and a sensors job whose alerts open and resolve.
 */
@RunWith(Parameterized.class)
public class ReportedMetricsTest {
  private static final Duration JOB_TIMEOUT = Duration.standardMinutes(5);

  /** Paced so the watermark moves while events arrive; event time starts long past. */
  private static final String GENERATOR =
      "generator://events?rate=500&count=1000&interval=200ms&start=2026-01-01T00:00:00Z"
          + "&seed=11&keys=6&duplicates=0.1&malformed=0.03&disorder=1s&late=0.05&lateBy=1m";

  /** Fewer, to keep the alerting job (per-key state and timers) short on DirectRunner. */
  private static final String FEW =
      "generator://events?rate=400&count=300&interval=1s&start=2026-01-01T00:00:00Z&seed=5&keys=3";

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private final String runner;
  private final List<String> runnerFlags;

  public ReportedMetricsTest(String runner, List<String> runnerFlags) {
    this.runner = runner;
    this.runnerFlags = runnerFlags;
  }

  @Parameters(name = "{0}")
  public static List<Object[]> runners() {
    return List.of(
        new Object[] {"DirectRunner", List.of("--runner=DirectRunner")},
        new Object[] {
          "FlinkLocal", List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2")
        });
  }

  @Test
  public void rollupWithLookups_reportsEventDeadLetterRowLookupAndTimeMetrics() throws Exception {
    try (ScriptedHttpServer lookups = ScriptedHttpServer.start()) {
      for (int k = 0; k < 4; k++) {
        lookups.put("key-" + k, "{\"site\":\"s" + k + "\"}");
      }
      // One failed call, so a retry is counted.
      lookups.failNext(1, 503);
      Reported reported =
          run(
              "rollup",
              GENERATOR,
              "--window=fixed:10s",
              "--allowedLateness=0s",
              "--reference=" + lookups.uri("/batch"),
              "--referenceField=site");

      long read = reported.counter(StreamfirstMetrics.EVENTS_READ);
      long valid = reported.counter(StreamfirstMetrics.EVENTS_VALID);
      assertThat(read, greaterThanOrEqualTo(1000L));
      assertThat(valid, greaterThan(0L));
      assertTrue("valid " + valid + " of " + read, valid < read);
      assertThat(reported.counter(StreamfirstMetrics.DUPLICATES_DROPPED), greaterThan(0L));
      long late = reported.counter(StreamfirstMetrics.LATE_EVENTS);
      assertThat(late, greaterThan(0L));
      long deadLetters = reported.counter(StreamfirstMetrics.DEAD_LETTERS);
      assertEquals(
          "every dead letter counted by stage and reason reached the sink",
          deadLetters,
          reported.counterSum(StreamfirstMetrics.DEAD_LETTERS_BY_REASON_PREFIX));
      assertEquals(
          deadLetters, reported.counter(StreamfirstMetrics.output("DeadLetters")).longValue());
      assertEquals(
          late,
          reported
              .counter(StreamfirstMetrics.deadLetters("late", DeadLetterReason.LATE))
              .longValue());
      assertThat(
          reported.counterNames(),
          hasItem(startsWith(StreamfirstMetrics.DEAD_LETTERS_BY_REASON_PREFIX + "parse.")));

      long rows = reported.counter(StreamfirstMetrics.ROWS_WRITTEN);
      assertThat(rows, greaterThan(0L));
      assertEquals(rows, reported.counter(StreamfirstMetrics.output("Rows")).longValue());

      assertThat(reported.counter(StreamfirstMetrics.ENRICH_LOOKUPS), greaterThan(0L));
      assertThat(reported.counter(StreamfirstMetrics.ENRICH_CACHE_MISSES), greaterThan(0L));
      assertThat(reported.counter(StreamfirstMetrics.ENRICH_CACHE_HITS), greaterThan(0L));
      assertThat(reported.counter(StreamfirstMetrics.ENRICH_RETRIES), greaterThan(0L));
      assertThat(reported.counter(StreamfirstMetrics.ENRICH_NOT_FOUND), greaterThan(0L));

      DistributionResult lookupLatency =
          reported.distribution(StreamfirstMetrics.ENRICH_LOOKUP_LATENCY_MS);
      assertThat(lookupLatency.getCount(), greaterThan(0L));
      assertThat(lookupLatency.getMin(), greaterThanOrEqualTo(0L));

      // Event time starts in January: lag and row latency are about that far behind the clock.
      long sinceStart =
          System.currentTimeMillis()
              - java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
      for (String name :
          List.of(StreamfirstMetrics.EVENT_TIME_LAG_MS, StreamfirstMetrics.ROW_LATENCY_MS)) {
        DistributionResult d = reported.distribution(name);
        assertThat(name, d.getCount(), greaterThan(0L));
        assertThat(name, d.getMin(), greaterThan(sinceStart - 86_400_000L));
        assertTrue(name + " max " + d.getMax(), d.getMax() <= sinceStart + 60_000L);
        GaugeResult latest = reported.gauge(name + StreamfirstMetrics.LATEST_SUFFIX);
        assertTrue(name, latest.getValue() >= d.getMin() && latest.getValue() <= d.getMax());
      }
    }
  }

  @Test
  public void sensors_reportsAlertsOpenedAndResolved() throws Exception {
    Reported reported =
        run("sensors", FEW, "--window=fixed:10s", "--alertRule=mean > 50 for 1 windows");

    long opened = reported.counter(StreamfirstMetrics.ALERTS_OPENED);
    assertThat(opened, greaterThan(0L));
    assertThat(reported.counter(StreamfirstMetrics.ALERTS_RESOLVED), greaterThan(0L));
    assertThat(reported.counter(StreamfirstMetrics.output("Alerts")), greaterThanOrEqualTo(opened));
  }

  private Reported run(String pipeline, String source, String... flags) throws Exception {
    Path out = TMP.newFolder().toPath();
    List<String> args = new ArrayList<>(runnerFlags);
    args.addAll(List.of(flags));
    args.add("--source=" + source);
    args.add("--sink=file://" + out.resolve("rows"));
    args.add("--deadLetter=file://" + out.resolve("dead"));
    if (pipeline.equals("sensors")) {
      args.add("--alertSink=file://" + out.resolve("alerts"));
    }
    PipelineResult result =
        PreparedRun.of(PipelineCatalog.find(pipeline).orElseThrow(), args.toArray(new String[0]))
            .run();
    assertEquals(
        pipeline + " on " + runner, PipelineResult.State.DONE, result.waitUntilFinish(JOB_TIMEOUT));
    return new Reported(
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        org.apache.beam.sdk.metrics.MetricNameFilter.inNamespace(
                            StreamfirstMetrics.NAMESPACE))
                    .build()));
  }

  /** The job's metrics in our namespace, summed over the steps that reported them. */
  private static final class Reported {
    private final Map<String, Long> counters = new HashMap<>();
    private final Map<String, DistributionResult> distributions = new HashMap<>();
    private final Map<String, GaugeResult> gauges = new HashMap<>();

    Reported(MetricQueryResults results) {
      for (MetricResult<Long> c : results.getCounters()) {
        counters.merge(c.getName().getName(), c.getAttempted(), Long::sum);
      }
      for (MetricResult<DistributionResult> d : results.getDistributions()) {
        distributions.merge(
            d.getName().getName(),
            d.getAttempted(),
            (a, b) ->
                DistributionResult.create(
                    a.getSum() + b.getSum(),
                    a.getCount() + b.getCount(),
                    Math.min(a.getMin(), b.getMin()),
                    Math.max(a.getMax(), b.getMax())));
      }
      for (MetricResult<GaugeResult> g : results.getGauges()) {
        gauges.merge(
            g.getName().getName(),
            g.getAttempted(),
            (a, b) -> a.getTimestamp().isAfter(b.getTimestamp()) ? a : b);
      }
    }

    Long counter(String name) {
      Long value = counters.get(name);
      assertNotNull("counter " + name + " was not reported; reported: " + counters, value);
      return value;
    }

    long counterSum(String prefix) {
      return counters.entrySet().stream()
          .filter(e -> e.getKey().startsWith(prefix))
          .mapToLong(Map.Entry::getValue)
          .sum();
    }

    java.util.Set<String> counterNames() {
      return counters.keySet();
    }

    DistributionResult distribution(String name) {
      DistributionResult value = distributions.get(name);
      assertNotNull(
          "distribution " + name + " was not reported; reported: " + distributions.keySet(), value);
      return value;
    }

    GaugeResult gauge(String name) {
      GaugeResult value = gauges.get(name);
      assertNotNull("gauge " + name + " was not reported; reported: " + gauges.keySet(), value);
      return value;
    }
  }
}
