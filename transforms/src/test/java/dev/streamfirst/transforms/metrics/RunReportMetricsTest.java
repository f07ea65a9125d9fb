package dev.streamfirst.transforms.metrics;

import static org.junit.Assert.assertEquals;

import dev.streamfirst.transforms.aggregate.Stats;
import dev.streamfirst.transforms.aggregate.StatsRow;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.errors.DeadLetter;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

public class RunReportMetricsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Instant W0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Instant W1 = Instant.parse("2026-11-25T10:01:00Z");

  /** Hands the item each name stands for to a tap, as the pipelines' sink steps do. */
  private static final class TapFn extends DoFn<String, Void> {
    private final RunReportMetrics.Tap tap = RunReportMetrics.tap();

    @ProcessElement
    public void process(@Element String name) {
      tap.observe(
          switch (name) {
            case "a@W0" -> row("a", W0);
            case "b@W0" -> row("b", W0);
            case "enriched a@W1" -> Enriched.of(row("a", W1), "{}");
            case "dead letter" -> DeadLetter.of("x", "not valid JSON", "parse", W0);
            default -> name;
          });
    }
  }

  private static StatsRow row(String key, Instant start) {
    return StatsRow.of(
        key,
        start,
        start.plus(org.joda.time.Duration.standardMinutes(1)),
        Stats.of(1, 1, 1, 1, 1),
        PaneInfo.Timing.ON_TIME,
        0,
        true);
  }

  @Test
  public void rowsEnrichedRowsAndDeadLetters_areCountedByWindowStageAndLatency() {
    p.apply(Create.of("a@W0", "b@W0", "enriched a@W1", "dead letter", "an alert, say"))
        .apply(ParDo.of(new TapFn()));
    Map<String, Long> counters = counters(p.run());

    assertEquals(2L, (long) counters.get(RunReportMetrics.rowsInWindow(W0)));
    assertEquals(1L, (long) counters.get(RunReportMetrics.rowsInWindow(W1)));
    assertEquals(1L, (long) counters.get("dead_letters_stage_parse"));
    // Windows of last year end long before now: all three rows are in the open-ended bucket.
    assertEquals(3L, (long) counters.get("row_latency_le_inf"));
    assertEquals(4, counters.size());
  }

  @Test
  public void latencyBuckets_haveInclusiveUpperBounds() {
    assertEquals("row_latency_le_100", RunReportMetrics.latencyBucket(0));
    assertEquals("row_latency_le_100", RunReportMetrics.latencyBucket(100));
    assertEquals("row_latency_le_250", RunReportMetrics.latencyBucket(101));
    assertEquals("row_latency_le_3600000", RunReportMetrics.latencyBucket(3_600_000));
    assertEquals("row_latency_le_inf", RunReportMetrics.latencyBucket(3_600_001));
    assertEquals("dead_letters_stage_late_data", RunReportMetrics.deadLettersAt("late-data"));
  }

  private static Map<String, Long> counters(PipelineResult result) {
    result.waitUntilFinish();
    Map<String, Long> counters = new HashMap<>();
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(RunReportMetrics.NAMESPACE))
                    .build())
            .getCounters()) {
      counters.merge(c.getName().getName(), c.getAttempted(), Long::sum);
    }
    return counters;
  }
}
