package dev.streamfirst.io.jdbc;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.servers.postgres.PostgresServer;
import dev.streamfirst.transforms.enrich.Enrich;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.enrich.LookupHandler;
import dev.streamfirst.transforms.enrich.OnOutage;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.EventCoder;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;

/** JDBC reference data against a real PostgreSQL server, started by the test. */
public class JdbcLookupIT {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static String url;

  @BeforeClass
  public static void createAccounts() {
    PostgresServer postgres = PostgresServer.shared();
    url = postgres.jdbcUrl(postgres.createDatabase("jdbc_lookup_it"));
    postgres.execute(
        url,
        "CREATE TABLE accounts (account_id text PRIMARY KEY, country text NOT NULL,"
            + " usual_amount numeric(12,2) NOT NULL, vip boolean, opened timestamptz)",
        "INSERT INTO accounts SELECT 'acct-' || i, CASE WHEN i % 2 = 0 THEN 'DE' ELSE 'FR' END,"
            + " i * 10, i % 3 = 0, TIMESTAMPTZ '2020-01-01 00:00:00Z' FROM"
            + " generate_series(1, 50) AS i");
  }

  private static String reference() {
    return url + "&table=accounts&key=account_id";
  }

  private static Event event(String id, String account, double amount) {
    return Event.of(id, account, T0, amount, EventJson.event(id, account, T0, amount).toJson());
  }

  @Test
  public void lookup_fetchesABatchWithOneInQueryAndTypesTheColumns() throws Exception {
    LookupHandler handler = JdbcLookupHandler.fromUri(reference());
    handler.setup();
    try {
      Map<String, String> found = handler.lookup(List.of("acct-3", "acct-4", "acct-404"));
      assertEquals(2, found.size());
      JsonNode three = JSON.readTree(found.get("acct-3"));
      assertEquals("FR", three.get("country").asText());
      assertEquals(30.0, three.get("usual_amount").asDouble(), 0);
      assertTrue(three.get("usual_amount").isNumber());
      assertTrue(three.get("vip").asBoolean());
      assertEquals("2020-01-01T00:00:00Z", three.get("opened").asText());
      assertFalse(found.containsKey("acct-404"));
    } finally {
      handler.teardown();
    }
  }

  @Test
  public void table_readsEveryRow() throws Exception {
    Map<String, String> all = JdbcReferenceTable.fromUri(reference()).readAll();
    assertEquals(50, all.size());
    assertEquals("DE", JSON.readTree(all.get("acct-50")).get("country").asText());
  }

  @Test
  public void enrich_joinsEventsWithTheirAccountsInBatches() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      events.add(event("t-" + i, "acct-" + (1 + i % 12), i));
    }
    PCollection<String> countries =
        p.apply(Create.of(events).withCoder(EventCoder.of()))
            .apply(Enrich.fromLookup(JdbcLookupHandler.fromUri(reference())).withBatchSize(5))
            .output()
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        (Enriched<Event> e) ->
                            e.element().id() + ":" + e.referenceField("country").asText()));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      expected.add("t-" + i + ":" + ((1 + i % 12) % 2 == 0 ? "DE" : "FR"));
    }
    PAssert.that(countries).containsInAnyOrder(expected);
    PipelineResult run = p.run();
    run.waitUntilFinish();
    for (MetricResult<org.apache.beam.sdk.metrics.DistributionResult> sizes :
        run.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("streamfirst", "enrich_batch_size"))
                    .build())
            .getDistributions()) {
      assertThat(sizes.getAttempted().getMax() <= 5, org.hamcrest.Matchers.is(true));
    }
  }

  @Test
  public void queryBlockedByALock_endsAtTheCallTimeout_asATransientFailure() throws Exception {
    LookupHandler handler = JdbcLookupHandler.fromUri(reference());
    handler.setup();
    try (java.sql.Connection locker = java.sql.DriverManager.getConnection(url)) {
      locker.setAutoCommit(false);
      try (java.sql.Statement lock = locker.createStatement()) {
        lock.execute("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE");
      }
      long started = System.nanoTime();
      SQLException e =
          org.junit.Assert.assertThrows(
              SQLException.class,
              () -> handler.lookup(List.of("acct-1"), Duration.standardSeconds(1)));
      long millis = (System.nanoTime() - started) / 1_000_000;
      // The server cancelled it: the connection is free again, not held until the lock goes.
      assertEquals("57014", e.getSQLState());
      assertTrue("a timeout is worth a retry: " + e, handler.isTransient(e));
      assertTrue("took " + millis + " ms", millis < 5_000);
      locker.rollback();
    } finally {
      handler.teardown();
    }
  }

  @Test
  public void missingTable_isNotRetriedAndDeadLettersTheEvents() {
    String wrong = url + "&table=no_such_table&key=account_id";
    Result<Enriched<Event>> result =
        p.apply(Create.of(List.of(event("t-1", "acct-1", 5))).withCoder(EventCoder.of()))
            .apply(Enrich.fromLookup(JdbcLookupHandler.fromUri(wrong)));
    PAssert.that(result.output()).empty();
    PAssert.that(result.deadLetters())
        .satisfies(
            letters -> {
              DeadLetter letter = letters.iterator().next();
              assertThat(letter.error(), containsString("lookup failed (not retried)"));
              assertThat(letter.error(), containsString("no_such_table"));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void unreachableDatabase_isRetriedThenDeadLettered() throws Exception {
    String nobody = "jdbc:postgresql://127.0.0.1:1/none?user=x&connectTimeout=1&table=t&key=k";
    LookupHandler handler = JdbcLookupHandler.fromUri(nobody);
    handler.setup();
    try {
      handler.lookup(List.of("a"));
    } catch (SQLException e) {
      assertTrue("connection refused is transient: " + e, handler.isTransient(e));
    } finally {
      handler.teardown();
    }
    Result<Enriched<Event>> result =
        p.apply(Create.of(List.of(event("t-1", "acct-1", 5))).withCoder(EventCoder.of()))
            .apply(
                Enrich.fromLookup(JdbcLookupHandler.fromUri(nobody))
                    .withMaxRetries(1)
                    .withInitialBackoff(Duration.millis(10))
                    .withOnOutage(OnOutage.DEAD_LETTER));
    PAssert.that(result.output()).empty();
    PAssert.that(result.deadLetters())
        .satisfies(
            letters -> {
              assertThat(
                  letters.iterator().next().error(),
                  containsString("lookup failed after 2 attempts"));
              return null;
            });
    p.run().waitUntilFinish();
  }
}
