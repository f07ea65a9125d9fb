package dev.streamfirst.transforms.enrich;

import dev.streamfirst.testing.EventJson;
import dev.streamfirst.transforms.events.Event;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/** Events and metric readings for the enrichment tests. */
final class EnrichTestEvents {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private EnrichTestEvents() {}

  static Event event(String id, String key, double value) {
    Instant ts = T0.plus(id.hashCode() & 0xffff);
    return Event.of(id, key, ts, value, EventJson.event(id, key, ts, value).toJson());
  }

  static TimestampedValue<Event> stamped(Event event) {
    return TimestampedValue.of(event, event.timestamp());
  }

  static long counter(PipelineResult result, String name) {
    MetricQueryResults metrics = query(result, name);
    long total = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }

  static DistributionResult distribution(PipelineResult result, String name) {
    MetricQueryResults metrics = query(result, name);
    DistributionResult total = DistributionResult.IDENTITY_ELEMENT;
    for (MetricResult<DistributionResult> d : metrics.getDistributions()) {
      DistributionResult r = d.getAttempted();
      total =
          DistributionResult.create(
              total.getSum() + r.getSum(),
              total.getCount() + r.getCount(),
              Math.min(total.getMin(), r.getMin()),
              Math.max(total.getMax(), r.getMax()));
    }
    return total;
  }

  private static MetricQueryResults query(PipelineResult result, String name) {
    return result
        .metrics()
        .queryMetrics(
            MetricsFilter.builder()
                .addNameFilter(MetricNameFilter.named("streamfirst", name))
                .build());
  }
}
