package dev.streamfirst.runners.metrics;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;

/**
 * Beam's metric results as Prometheus metric families, one family per metric name with one series
 * per step: a counter {@code events_read} of namespace {@code streamfirst} becomes {@code
 * streamfirst_events_read_total{pipeline="rollup",step="Rollup/ParseEvents/ParseJson"}}.
 *
 * <ul>
 *   <li>a counter is a Prometheus counter;
 *   <li>a distribution is a summary without quantiles ({@code _count}, {@code _sum}) plus the
 *       gauges {@code _min} and {@code _max};
 *   <li>a gauge is a gauge;
 *   <li>the dead-letter counters {@code dead_letters.<stage>.<reason>} are one family, {@code
 *       streamfirst_dead_letters_by_reason_total}, with {@code stage} and {@code reason} labels.
 * </ul>
 *
 * Attempted values are used: committed ones are not supported by every runner, and a live view
 * wants what has happened so far.
 */
final class PrometheusSnapshots {
  static final String DEAD_LETTERS_BY_REASON = "dead_letters_by_reason";

  private PrometheusSnapshots() {}

  static MetricSnapshots of(MetricQueryResults results, String pipeline) {
    Map<String, CounterSnapshot.Builder> counters = new TreeMap<>();
    Map<String, GaugeSnapshot.Builder> gauges = new TreeMap<>();
    Map<String, SummarySnapshot.Builder> summaries = new TreeMap<>();
    Function<String, CounterSnapshot.Builder> newCounter =
        name -> CounterSnapshot.builder().name(name).help(help(name));
    Function<String, GaugeSnapshot.Builder> newGauge =
        name -> GaugeSnapshot.builder().name(name).help(help(name));

    for (MetricResult<Long> c : results.getCounters()) {
      String beamName = c.getName().getName();
      Labels labels = labels(pipeline, c);
      String family = familyName(c.getName().getNamespace(), beamName);
      if (isDeadLettersByReason(c)) {
        String[] parts =
            beamName
                .substring(StreamfirstMetrics.DEAD_LETTERS_BY_REASON_PREFIX.length())
                .split("\\.", 2);
        labels = labels.add("stage", parts[0]).add("reason", parts.length > 1 ? parts[1] : "other");
        family = familyName(StreamfirstMetrics.NAMESPACE, DEAD_LETTERS_BY_REASON);
      }
      counters
          .computeIfAbsent(family, newCounter)
          .dataPoint(
              CounterDataPointSnapshot.builder()
                  .value(Math.max(0, c.getAttempted()))
                  .labels(labels)
                  .build());
    }
    for (MetricResult<DistributionResult> d : results.getDistributions()) {
      String family = familyName(d.getName().getNamespace(), d.getName().getName());
      DistributionResult value = d.getAttempted();
      Labels labels = labels(pipeline, d);
      summaries
          .computeIfAbsent(family, name -> SummarySnapshot.builder().name(name).help(help(name)))
          .dataPoint(
              SummaryDataPointSnapshot.builder()
                  .count(value.getCount())
                  .sum(value.getSum())
                  .labels(labels)
                  .build());
      if (value.getCount() > 0) {
        gauges.computeIfAbsent(family + "_min", newGauge).dataPoint(gauge(value.getMin(), labels));
        gauges.computeIfAbsent(family + "_max", newGauge).dataPoint(gauge(value.getMax(), labels));
      }
    }
    for (MetricResult<GaugeResult> g : results.getGauges()) {
      String family = familyName(g.getName().getNamespace(), g.getName().getName());
      gauges
          .computeIfAbsent(family, newGauge)
          .dataPoint(gauge(g.getAttempted().getValue(), labels(pipeline, g)));
    }

    List<MetricSnapshot> all = new ArrayList<>();
    counters.values().forEach(b -> all.add(b.build()));
    summaries.values().forEach(b -> all.add(b.build()));
    gauges.values().forEach(b -> all.add(b.build()));
    return new MetricSnapshots(all);
  }

  /** {@code streamfirst} and {@code events_read} give {@code streamfirst_events_read}. */
  static String familyName(String namespace, String name) {
    return PrometheusNaming.sanitizeMetricName(namespace + "_" + name)
        .replaceAll("[^a-zA-Z0-9_:]", "_");
  }

  private static boolean isDeadLettersByReason(MetricResult<?> result) {
    return result.getName().getNamespace().equals(StreamfirstMetrics.NAMESPACE)
        && result.getName().getName().startsWith(StreamfirstMetrics.DEAD_LETTERS_BY_REASON_PREFIX);
  }

  private static Labels labels(String pipeline, MetricResult<?> result) {
    return Labels.of("pipeline", pipeline, "step", result.getKey().stepName());
  }

  private static GaugeDataPointSnapshot gauge(double value, Labels labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
  }

  private static String help(String family) {
    return "Beam metric " + family + " of a Streamfirst job";
  }
}
