package dev.streamfirst.io.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.io.IoUri;
import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.servers.http.ScriptedHttpServer;
import dev.streamfirst.transforms.enrich.Enrich;
import dev.streamfirst.transforms.enrich.Enriched;
import dev.streamfirst.transforms.enrich.OnOutage;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.EventCoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/**
 * The lookup service goes down during a streaming enrichment run and comes back. Lookups are
 * retried, then the events are dead letters naming the failure; the job keeps running; once the
 * service is back, later events are enriched again. Nothing is lost or doubled: every event comes
 * out once, enriched or dead-lettered.
 *
 * <p>The outage lasts {@link #OUTAGE_MILLIS} rather than 30 s: with the default retries (3, from a
 * 100 ms backoff) a lookup gives up within about a second, so any outage longer than that behaves
 * the same way, and a shorter one keeps the test short.
 */
public class HttpLookupOutageIT {
  private static final long OUTAGE_MILLIS = 8_000;
  // Lookups of events created this close to a change of state may go either way.
  private static final long MARGIN_MILLIS = 2_500;
  private static final int ACCOUNTS = 5;

  /** Outcome per event id, written by the pipeline (DirectRunner runs in this JVM). */
  private static final ConcurrentMap<String, List<String>> OUTCOMES = new ConcurrentHashMap<>();

  @Test
  public void serviceDownForAStretch_retriesThenDeadLetters_jobRuns_laterEventsEnrichAgain()
      throws Exception {
    OUTCOMES.clear();
    try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
      for (int i = 1; i <= ACCOUNTS; i++) {
        server.put("acct-" + i, "{\"country\":\"C" + i + "\"}");
      }
      DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
      options.setRunner(DirectRunner.class);
      options.setBlockOnRun(false);
      Pipeline p = Pipeline.create(options);
      Result<Enriched<Event>> enriched =
          p.apply("Tick", GenerateSequence.from(0).withRate(25, Duration.standardSeconds(1)))
              .apply(
                  "ToEvents",
                  MapElements.into(TypeDescriptor.of(Event.class))
                      .via(HttpLookupOutageIT::eventNow))
              .setCoder(EventCoder.of())
              .apply(
                  "Enrich",
                  // No cache: every event asks the service, so the outage is seen by all of them.
                  Enrich.fromLookup(HttpLookupHandler.fromUri(IoUri.parse(server.uri("/batch"))))
                      .withoutCache()
                      .withBatchSize(10)
                      .withOnOutage(OnOutage.DEAD_LETTER));
      enriched.output().apply("RecordEnriched", ParDo.of(new RecordEnrichedFn()));
      enriched.deadLetters().apply("RecordDeadLetters", ParDo.of(new RecordDeadLetterFn()));

      long started = System.currentTimeMillis();
      PipelineResult result = p.run();
      try {
        // Enough enriched events made well before the outage that none of them can be caught by it.
        await(
            "20 events enriched before the outage",
            () -> enrichedCreatedBetween(0, System.currentTimeMillis() - MARGIN_MILLIS - 500) >= 20,
            90);
        long down = System.currentTimeMillis();
        server.goDown();
        Thread.sleep(OUTAGE_MILLIS);
        long up = System.currentTimeMillis();
        server.comeBack();
        await(
            "20 events enriched after the service came back",
            () -> enrichedCreatedBetween(up + MARGIN_MILLIS, Long.MAX_VALUE) >= 20,
            90);
        assertEquals(PipelineResult.State.RUNNING, result.getState());
        long checked = System.currentTimeMillis();

        Map<String, String> wrong = new TreeMap<>();
        int deadLetters = 0;
        int enrichedBefore = 0;
        int enrichedAfter = 0;
        long maxSeq = OUTCOMES.keySet().stream().mapToLong(HttpLookupOutageIT::seq).max().orElse(0);
        for (long seq = 0; seq <= maxSeq; seq++) {
          String prefix = "e-" + seq + "@";
          List<String> found =
              OUTCOMES.entrySet().stream()
                  .filter(e -> e.getKey().startsWith(prefix))
                  .flatMap(e -> e.getValue().stream())
                  .toList();
          String id =
              OUTCOMES.keySet().stream().filter(k -> k.startsWith(prefix)).findFirst().orElse(null);
          if (id == null) {
            // Still on its way only if it was made in the last few seconds.
            if (seq < maxSeq - 25 * 5) {
              wrong.put(prefix, "lost");
            }
            continue;
          }
          if (found.size() != 1) {
            wrong.put(id, "came out " + found.size() + " times: " + found);
            continue;
          }
          String outcome = found.get(0);
          long created = created(id);
          boolean isDead = outcome.startsWith("dead:");
          if (isDead) {
            deadLetters++;
            if (created < down - MARGIN_MILLIS || created > up + MARGIN_MILLIS) {
              wrong.put(id, "dead-lettered outside the outage: " + outcome);
            } else if (!outcome.startsWith("dead:enrich: key 'acct-")
                || !outcome.contains(": lookup failed after 4 attempts: ConnectException")) {
              wrong.put(id, "reason does not say it was retried and why: " + outcome);
            }
          } else {
            String country = "C" + (1 + seq % ACCOUNTS);
            if (!outcome.equals("enriched:" + country)) {
              wrong.put(id, "enriched wrongly: " + outcome);
            }
            if (created < down - MARGIN_MILLIS) {
              enrichedBefore++;
            } else if (created > up + MARGIN_MILLIS) {
              enrichedAfter++;
            }
          }
          if (created > down + MARGIN_MILLIS && created < up - MARGIN_MILLIS && !isDead) {
            wrong.put(id, "enriched while the service was down: " + outcome);
          }
        }
        assertEquals("events with a wrong outcome: " + wrong, Map.of(), wrong);
        assertThat(enrichedBefore, greaterThanOrEqualTo(20));
        assertThat(enrichedAfter, greaterThanOrEqualTo(20));
        // 25 events a second for the outage less its margins, all dead letters.
        assertThat(deadLetters, greaterThanOrEqualTo(25 * 2));
        System.out.printf(
            "lookup outage IT: %d events, %d enriched before, %d dead letters, %d enriched after;"
                + " down %.1f s; %.1f s in all%n",
            maxSeq + 1,
            enrichedBefore,
            deadLetters,
            enrichedAfter,
            (up - down) / 1000.0,
            (checked - started) / 1000.0);
      } finally {
        result.cancel();
      }
    }
  }

  private static Event eventNow(Long seq) {
    Instant now = Instant.now();
    String id = "e-" + seq + "@" + now.getMillis();
    String account = "acct-" + (1 + seq % ACCOUNTS);
    return Event.of(id, account, now, seq, EventJson.event(id, account, now, seq).toJson());
  }

  private static long seq(String id) {
    return Long.parseLong(id.substring(2, id.indexOf('@')));
  }

  private static long created(String id) {
    return Long.parseLong(id.substring(id.indexOf('@') + 1));
  }

  private static long enrichedCreatedBetween(long from, long until) {
    return OUTCOMES.entrySet().stream()
        .filter(e -> created(e.getKey()) > from && created(e.getKey()) < until)
        .filter(e -> e.getValue().stream().anyMatch(o -> o.startsWith("enriched:")))
        .count();
  }

  private interface Condition {
    boolean holds();
  }

  private static void await(String what, Condition condition, int seconds) throws Exception {
    long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(seconds);
    while (!condition.holds()) {
      assertTrue("timed out waiting for " + what, System.currentTimeMillis() < deadline);
      Thread.sleep(200);
    }
  }

  private static void record(String id, String outcome) {
    OUTCOMES
        .computeIfAbsent(id, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
        .add(outcome);
  }

  private static final class RecordEnrichedFn extends DoFn<Enriched<Event>, Void> {
    @ProcessElement
    public void process(@Element Enriched<Event> e) {
      record(e.element().id(), "enriched:" + e.referenceField("country").asText());
    }
  }

  private static final class RecordDeadLetterFn extends DoFn<DeadLetter, Void> {
    @ProcessElement
    public void process(@Element DeadLetter letter) throws Exception {
      String id =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(letter.payload())
              .get("id")
              .asText();
      record(id, "dead:" + letter.stage() + ": " + letter.error());
    }
  }
}
