package org.apache.beam.runners.flink.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.Test;

/**
 * A source reader's Beam counter as Flink sees it: FlinkRunner 2.62 copies it into Flink after
 * every record; {@link ThrottledReaderInvocation} at most once per interval, and at once when the
 * reader has nothing more.
 */
public class ThrottledReaderInvocationTest {
  private static final String STEP = "ReadEvents";
  private static final String FLINK_NAME = "records";

  private final FlinkPipelineOptions options =
      PipelineOptionsFactory.as(FlinkPipelineOptions.class);
  private final RecordingGroup group = new RecordingGroup();
  private final FlinkMetricContainerBase container =
      new FlinkMetricContainerWithoutAccumulator(group);

  @Test
  public void upstream_copiesMetricsAfterEveryRecord() throws Exception {
    ReaderInvocationUtil<Long, Records> upstream =
        new ReaderInvocationUtil<>(STEP, options, container);
    Records reader = new Records(100);

    upstream.invokeStart(reader);
    for (int i = 1; i < 50; i++) {
      upstream.invokeAdvance(reader);
    }
    assertEquals(50, flinkCount());
  }

  @Test
  public void throttled_copiesOncePerInterval_andAtOnceWhenTheReaderRunsDry() throws Exception {
    AtomicLong nanos = new AtomicLong();
    ThrottledReaderInvocation<Long, Records> throttled =
        ThrottledReaderInvocation.replacing(
            new ReaderInvocationUtil<>(STEP, options, container),
            options,
            Duration.ofSeconds(1),
            nanos::get);
    Records reader = new Records(100);

    assertTrue(throttled.invokeStart(reader));
    assertEquals("the first record's update goes at once", 1, flinkCount());
    for (int i = 1; i < 50; i++) {
      assertTrue(throttled.invokeAdvance(reader));
    }
    assertEquals("no update within the interval", 1, flinkCount());

    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertTrue(throttled.invokeAdvance(reader));
    assertEquals(51, flinkCount());
    for (int i = 51; i < 100; i++) {
      assertTrue(throttled.invokeAdvance(reader));
    }
    assertEquals(51, flinkCount());

    assertFalse(throttled.invokeAdvance(reader));
    assertEquals("a reader with nothing more shows its final count", 100, flinkCount());
  }

  @Test
  public void metricsSwitchedOff_nothingReachesFlink() throws Exception {
    options.setDisableMetrics(true);
    ThrottledReaderInvocation<Long, Records> throttled =
        ThrottledReaderInvocation.replacing(
            new ReaderInvocationUtil<>(STEP, options, container),
            options,
            Duration.ZERO,
            System::nanoTime);
    Records reader = new Records(3);

    throttled.invokeStart(reader);
    while (throttled.invokeAdvance(reader)) {
      // read them all
    }
    assertFalse(group.counters.containsKey(flinkName()));
  }

  private long flinkCount() {
    org.apache.flink.metrics.Counter counter = group.counters.get(flinkName());
    if (counter == null) {
      throw new AssertionError(
          "no Flink counter " + flinkName() + " in " + group.counters.keySet());
    }
    return counter.getCount();
  }

  private static String flinkName() {
    return "test." + FLINK_NAME;
  }

  /** Counts each record it reads in a Beam counter, as a real source's metrics do. */
  private static final class Records extends BoundedSource.BoundedReader<Long> {
    private final Counter read = Metrics.counter("test", FLINK_NAME);
    private final long count;
    private long current = -1;

    Records(long count) {
      this.count = count;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (current + 1 >= count) {
        return false;
      }
      current++;
      read.inc();
      return true;
    }

    @Override
    public Long getCurrent() {
      if (current < 0) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public void close() {}

    @Override
    public BoundedSource<Long> getCurrentSource() {
      throw new UnsupportedOperationException();
    }
  }

  /** A Flink metric group that keeps the counters registered with it, by name. */
  private static final class RecordingGroup extends UnregisteredMetricsGroup {
    final Map<String, org.apache.flink.metrics.Counter> counters = new HashMap<>();

    @Override
    public org.apache.flink.metrics.Counter counter(String name) {
      return counter(name, new org.apache.flink.metrics.SimpleCounter());
    }

    @Override
    public <C extends org.apache.flink.metrics.Counter> C counter(String name, C counter) {
      counters.put(name, counter);
      return counter;
    }
  }
}
