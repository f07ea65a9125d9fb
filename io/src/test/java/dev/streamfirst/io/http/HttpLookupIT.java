package dev.streamfirst.io.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import dev.streamfirst.io.IoUri;
import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.servers.http.ScriptedHttpServer;
import dev.streamfirst.transforms.enrich.Enrich;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.enrich.OnMiss;
import dev.streamfirst.transforms.enrich.OnOutage;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.EventCoder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;

/**
 * HTTP lookups against a real HTTP server that the test tells to fail: 500s are retried with
 * backoff, slow answers time out and are retried, and what still fails becomes dead letters.
 */
public class HttpLookupIT {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static ScriptedHttpServer server;

  @BeforeClass
  public static void startServer() {
    server = ScriptedHttpServer.start();
    for (int i = 1; i <= 20; i++) {
      server.put("acct-" + i, "{\"country\":\"" + (i % 2 == 0 ? "DE" : "FR") + "\"}");
    }
  }

  @AfterClass
  public static void stopServer() {
    server.close();
  }

  @Before
  public void resetServer() {
    server.reset();
  }

  private static List<Event> events(int count, int accounts) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String account = "acct-" + (1 + i % accounts);
      events.add(
          Event.of("t-" + i, account, T0, i, EventJson.event("t-" + i, account, T0, i).toJson()));
    }
    return events;
  }

  private static List<String> expectedCountries(List<Event> events) {
    List<String> expected = new ArrayList<>();
    for (Event e : events) {
      int n = Integer.parseInt(e.key().substring(5));
      expected.add(e.id() + ":" + (n % 2 == 0 ? "DE" : "FR"));
    }
    return expected;
  }

  private PCollection<String> countries(Result<Enriched<Event>> result) {
    return result
        .output()
        .apply(
            MapElements.into(TypeDescriptors.strings())
                .via(
                    (Enriched<Event> e) ->
                        e.element().id() + ":" + e.referenceField("country").asText()));
  }

  private static HttpLookupHandler handler(String path) {
    return HttpLookupHandler.fromUri(IoUri.parse(server.uri(path)));
  }

  private static long counter(PipelineResult run, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        run.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("streamfirst", name))
                    .build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  @Test
  public void batches_areOnePostEachOfAtMostTheBatchSize() {
    List<Event> events = events(40, 20);
    Result<Enriched<Event>> result =
        p.apply(Create.of(events).withCoder(EventCoder.of()))
            .apply(Enrich.fromLookup(handler("/batch")).withBatchSize(8));
    PAssert.that(countries(result)).containsInAnyOrder(expectedCountries(events));
    p.run().waitUntilFinish();
    assertThat(server.batchSizes(), everyItem(lessThanOrEqualTo(8)));
    // Every key is asked for; bundles running side by side may each ask for a key before the
    // cache has it, so how often depends on the runner's bundling. What batching guarantees is
    // that calls carry several keys each: fewer calls than keys asked.
    int keysAsked = server.batchSizes().stream().mapToInt(Integer::intValue).sum();
    assertThat(keysAsked, allOf(greaterThanOrEqualTo(20), lessThanOrEqualTo(40)));
    assertThat(server.batchSizes().size(), lessThan(keysAsked));
  }

  @Test
  public void http500s_areRetriedWithBackoffAndNothingIsLost() {
    server.failNext(2, 500);
    List<Event> events = events(6, 3);
    Result<Enriched<Event>> result =
        p.apply(Create.of(events).withCoder(EventCoder.of()))
            .apply(
                Enrich.fromLookup(handler("/batch"))
                    .withMaxConcurrency(1)
                    .withInitialBackoff(Duration.millis(20)));
    PAssert.that(countries(result)).containsInAnyOrder(expectedCountries(events));
    PAssert.that(result.deadLetters()).empty();
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertEquals(2, counter(run, "enrich_retries"));
  }

  @Test
  public void serverThatKeepsFailing_deadLettersTheEventsWithTheStatus() {
    server.failNext(100, 503);
    List<Event> events = events(3, 3);
    Result<Enriched<Event>> result =
        p.apply(Create.of(events).withCoder(EventCoder.of()))
            .apply(
                Enrich.fromLookup(handler("/batch"))
                    .withMaxRetries(2)
                    .withInitialBackoff(Duration.millis(20))
                    .withOnOutage(OnOutage.DEAD_LETTER));
    PAssert.that(result.output()).empty();
    HashSet<String> payloads = new HashSet<>();
    events.forEach(e -> payloads.add(e.payload()));
    PAssert.that(result.deadLetters())
        .satisfies(
            letters -> {
              Set<String> seen = new HashSet<>();
              for (DeadLetter letter : letters) {
                seen.add(letter.payload());
                assertEquals("enrich", letter.stage());
                assertThat(letter.error(), containsString("lookup failed after 3 attempts"));
                assertThat(letter.error(), containsString("HTTP 503"));
              }
              assertEquals(payloads, seen);
              return null;
            });
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertThat(counter(run, "enrich_lookup_failures") >= 1, org.hamcrest.Matchers.is(true));
  }

  @Test
  public void slowAnswer_timesOutAndTheRetryAnswers() {
    server.delayNext(1, 3_000);
    List<Event> events = events(4, 2);
    Result<Enriched<Event>> result =
        p.apply(Create.of(events).withCoder(EventCoder.of()))
            .apply(
                Enrich.fromLookup(handler("/batch"))
                    .withMaxConcurrency(1)
                    .withTimeout(Duration.millis(500))
                    .withInitialBackoff(Duration.millis(20)));
    PAssert.that(countries(result)).containsInAnyOrder(expectedCountries(events));
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertEquals(1, counter(run, "enrich_retries"));
  }

  @Test
  public void slowBeyondRetries_deadLettersNamingTheTimeout() {
    server.delayNext(10, 2_000);
    Result<Enriched<Event>> result =
        p.apply(Create.of(events(1, 1)).withCoder(EventCoder.of()))
            .apply(
                Enrich.fromLookup(handler("/batch"))
                    .withTimeout(Duration.millis(200))
                    .withMaxRetries(1)
                    .withInitialBackoff(Duration.millis(20))
                    .withOnOutage(OnOutage.DEAD_LETTER));
    PAssert.that(result.output()).empty();
    PAssert.that(result.deadLetters())
        .satisfies(
            letters -> {
              assertThat(
                  letters.iterator().next().error(),
                  containsString("lookup failed after 2 attempts: timed out after 200ms"));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void http400_isNotRetried() {
    server.failNext(1, 400);
    Result<Enriched<Event>> result =
        p.apply(Create.of(events(1, 1)).withCoder(EventCoder.of()))
            .apply(Enrich.fromLookup(handler("/batch")));
    PAssert.that(result.deadLetters())
        .satisfies(
            letters -> {
              assertThat(
                  letters.iterator().next().error(),
                  containsString("lookup failed (not retried): LookupException: HTTP 400"));
              return null;
            });
    p.run().waitUntilFinish();
    assertEquals(1, server.requests());
  }

  @Test
  public void getPerKey_treats404AsAMiss() {
    List<Event> events = new ArrayList<>(events(2, 2));
    events.add(
        Event.of("t-x", "acct-404", T0, 1, EventJson.event("t-x", "acct-404", T0, 1).toJson()));
    Result<Enriched<Event>> result =
        p.apply(Create.of(events).withCoder(EventCoder.of()))
            .apply(
                Enrich.fromLookup(handler("/records/{key}"))
                    .withBatchSize(1)
                    .withOnMiss(OnMiss.DEAD_LETTER));
    PAssert.that(countries(result)).containsInAnyOrder("t-0:FR", "t-1:DE");
    PAssert.that(result.deadLetters())
        .satisfies(
            letters -> {
              assertEquals(
                  "no reference data for key 'acct-404'", letters.iterator().next().error());
              return null;
            });
    p.run().waitUntilFinish();
  }
}
