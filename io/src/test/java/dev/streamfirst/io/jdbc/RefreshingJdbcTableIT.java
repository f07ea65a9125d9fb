package dev.streamfirst.io.jdbc;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.testing.servers.postgres.PostgresServer;
import dev.streamfirst.transforms.enrich.Enrich;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.EventCoder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/**
 * Slowly changing reference data for real: a streaming job enriches from a PostgreSQL table that is
 * re-read every period (PeriodicImpulse), the test updates a row while the job runs, and the new
 * value reaches the events without a restart.
 */
public class RefreshingJdbcTableIT {
  private static final Duration PERIOD = Duration.standardSeconds(2);

  /** Country → when an enriched event with it was first seen (ms); shared with the DoFn. */
  private static final Map<String, Long> FIRST_SEEN = new ConcurrentHashMap<>();

  @Test
  public void rowUpdatedWhileTheJobRuns_isSeenAfterTheNextRefresh() throws Exception {
    PostgresServer postgres = PostgresServer.shared();
    String url = postgres.jdbcUrl(postgres.createDatabase("refreshing_table_it"));
    postgres.execute(
        url,
        "CREATE TABLE accounts (account_id text PRIMARY KEY, country text NOT NULL)",
        "INSERT INTO accounts VALUES ('acct-1', 'DE')");
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setBlockOnRun(false);
    Pipeline p = Pipeline.create(options);
    p.apply("Ticks", GenerateSequence.from(0).withRate(20, Duration.standardSeconds(1)))
        .apply("ToEvents", ParDo.of(new ToEventFn()))
        .setCoder(EventCoder.of())
        .apply(
            Enrich.fromTable(JdbcReferenceTable.fromUri(url + "&table=accounts&key=account_id"))
                .refreshedEvery(PERIOD))
        .output()
        .apply("Record", ParDo.of(new RecordFn()));
    PipelineResult result = p.run();
    try {
      assertNotNull("the job never enriched an event with DE", waitFor("DE", 120_000));
      long updated = System.currentTimeMillis();
      postgres.execute(url, "UPDATE accounts SET country = 'PL'");
      Long seen = waitFor("PL", 60_000);
      assertNotNull("the update never reached the events", seen);
      long delay = seen - updated;
      System.out.println("update seen after " + delay + " ms (refresh period " + PERIOD + ")");
      // One period until the next read, plus the read and the side input's propagation; the
      // margin is for a loaded machine, not for a missed refresh.
      assertTrue("update seen after " + delay + " ms", delay <= PERIOD.getMillis() * 4);
    } finally {
      result.cancel();
    }
  }

  private static Long waitFor(String country, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      Long seen = FIRST_SEEN.get(country);
      if (seen != null) {
        return seen;
      }
      Thread.sleep(50);
    }
    return null;
  }

  private static final class ToEventFn extends DoFn<Long, Event> {
    @ProcessElement
    public void process(@Element Long i, OutputReceiver<Event> out) {
      Instant now = Instant.now();
      out.outputWithTimestamp(
          Event.of("t-" + i, "acct-1", now, i, "{\"id\":\"t-" + i + "\"}"), now);
    }
  }

  private static final class RecordFn extends DoFn<Enriched<Event>, Void> {
    @ProcessElement
    public void process(@Element Enriched<Event> e) {
      String country = e.referenceField("country").asText();
      FIRST_SEEN.putIfAbsent(country, System.currentTimeMillis());
    }
  }
}
