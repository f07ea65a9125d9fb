package dev.streamfirst.runners.metrics;

import static org.junit.Assert.assertEquals;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.joda.time.Instant;
import org.junit.Test;

public class PrometheusSnapshotsTest {
  private static MetricKey key(String step, String name) {
    return MetricKey.create(step, MetricName.named("streamfirst", name));
  }

  private static Map<String, MetricSnapshot> byName(MetricSnapshots snapshots) {
    Map<String, MetricSnapshot> all = new TreeMap<>();
    snapshots.forEach(s -> all.put(s.getMetadata().getPrometheusName(), s));
    return all;
  }

  @Test
  public void countersDistributionsAndGauges_becomeFamiliesWithOneSeriesPerStep() {
    MetricQueryResults results =
        MetricQueryResults.create(
            List.of(
                MetricResult.create(key("Parse", "events_read"), 0L, 7L),
                MetricResult.create(key("Other/Parse", "events_read"), 0L, 3L),
                MetricResult.create(key("Sink", "dead_letters.parse.not_json"), 0L, 2L),
                MetricResult.create(key("Sink", "dead_letters.late.late"), 0L, 1L)),
            List.of(
                MetricResult.create(
                    key("Rows", "row_latency_ms"),
                    DistributionResult.IDENTITY_ELEMENT,
                    DistributionResult.create(300, 3, 50, 150))),
            List.of(
                MetricResult.create(
                    key("Rows", "row_latency_ms_latest"),
                    GaugeResult.empty(),
                    GaugeResult.create(150, Instant.now()))),
            List.of());

    Map<String, MetricSnapshot> families = byName(PrometheusSnapshots.of(results, "rollup"));

    assertEquals(
        List.of(
            "streamfirst_dead_letters_by_reason",
            "streamfirst_events_read",
            "streamfirst_row_latency_ms",
            "streamfirst_row_latency_ms_latest",
            "streamfirst_row_latency_ms_max",
            "streamfirst_row_latency_ms_min"),
        List.copyOf(families.keySet()));
    CounterSnapshot read = (CounterSnapshot) families.get("streamfirst_events_read");
    Map<String, Double> perStep = new TreeMap<>();
    read.getDataPoints().forEach(p -> perStep.put(p.getLabels().get("step"), p.getValue()));
    assertEquals(Map.of("Parse", 7.0, "Other/Parse", 3.0), perStep);
    assertEquals("rollup", read.getDataPoints().get(0).getLabels().get("pipeline"));

    CounterSnapshot byReason = (CounterSnapshot) families.get("streamfirst_dead_letters_by_reason");
    Map<String, Double> reasons = new TreeMap<>();
    byReason
        .getDataPoints()
        .forEach(
            p -> {
              Labels l = p.getLabels();
              reasons.put(l.get("stage") + "/" + l.get("reason"), p.getValue());
            });
    assertEquals(Map.of("parse/not_json", 2.0, "late/late", 1.0), reasons);

    SummarySnapshot latency = (SummarySnapshot) families.get("streamfirst_row_latency_ms");
    assertEquals(3, latency.getDataPoints().get(0).getCount());
    assertEquals(300.0, latency.getDataPoints().get(0).getSum(), 0);
    assertEquals(
        50.0,
        ((GaugeSnapshot) families.get("streamfirst_row_latency_ms_min"))
            .getDataPoints()
            .get(0)
            .getValue(),
        0);
    assertEquals(
        150.0,
        ((GaugeSnapshot) families.get("streamfirst_row_latency_ms_latest"))
            .getDataPoints()
            .get(0)
            .getValue(),
        0);
  }
}
