package dev.streamfirst.transforms.enrich;

import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.io.IOException;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.BackOffUtils;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole {@link ReferenceTable} on every input element (the start, or a refresh tick).
 *
 * <p>The first read must succeed: it is retried, then fails the pipeline, since no element can be
 * enriched without it. A later read that fails is logged and counted and emits nothing, so the
 * previous copy stays in use until the next refresh succeeds.
 */
final class ReadTableFn<TickT> extends DoFn<TickT, Map<String, String>> {
  private static final Logger LOG = LoggerFactory.getLogger(ReadTableFn.class);
  private static final FluentBackoff FIRST_READ =
      FluentBackoff.DEFAULT.withMaxRetries(3).withInitialBackoff(Duration.millis(500));

  private final ReferenceTable table;
  private final boolean mustSucceed;
  private final Counter reads = StreamfirstMetrics.counter(StreamfirstMetrics.ENRICH_TABLE_READS);
  private final Counter failures =
      StreamfirstMetrics.counter(StreamfirstMetrics.ENRICH_TABLE_READ_FAILURES);

  /** {@code mustSucceed}: a read once at the start, rather than one refresh among many. */
  ReadTableFn(ReferenceTable table, boolean mustSucceed) {
    this.table = table;
    this.mustSucceed = mustSucceed;
  }

  @ProcessElement
  public void process(OutputReceiver<Map<String, String>> out)
      throws IOException, InterruptedException {
    if (!mustSucceed) {
      try {
        out.output(read());
      } catch (Exception e) {
        failures.inc();
        LOG.warn("refreshing reference table {} failed; keeping the previous copy", table, e);
      }
      return;
    }
    BackOff waits = FIRST_READ.backoff();
    while (true) {
      try {
        out.output(read());
        return;
      } catch (Exception e) {
        failures.inc();
        if (!BackOffUtils.next(Sleeper.DEFAULT, waits)) {
          throw new IllegalStateException(
              "could not read reference table " + table + ": " + e.getMessage(), e);
        }
        LOG.warn("reading reference table {} failed; retrying", table, e);
      }
    }
  }

  private Map<String, String> read() throws Exception {
    Map<String, String> all = table.readAll();
    reads.inc();
    return all == null ? Map.of() : all;
  }
}
