package dev.streamfirst.transforms.enrich;

import static dev.streamfirst.transforms.enrich.EnrichTestEvents.counter;
import static dev.streamfirst.transforms.enrich.EnrichTestEvents.distribution;
import static dev.streamfirst.transforms.enrich.EnrichTestEvents.event;
import static dev.streamfirst.transforms.enrich.EnrichTestEvents.stamped;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import dev.streamfirst.transforms.enrich.RecordingHandler.Failure;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.EventCoder;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * {@link Enrich#fromLookup}: batching, the cache, retries, timeouts and dead letters. Elements come
 * from a {@link TestStream}, whose every batch of elements is one bundle on the DirectRunner, so
 * what a bundle batches is under the test's control.
 */
public class EnrichLookupTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Map<String, String> RECORDS = new TreeMap<>();

  static {
    for (int i = 0; i < 20; i++) {
      RECORDS.put("k" + i, "{\"n\":" + i + "}");
    }
  }

  private static List<Event> eventsOverKeys(String prefix, int count, int keys) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(event(prefix + i, "k" + (i % keys), i));
    }
    return events;
  }

  private static TestStream<Event> oneBundle(List<Event> events) {
    List<TimestampedValue<Event>> stamped =
        events.stream().map(EnrichTestEvents::stamped).collect(Collectors.toList());
    return TestStream.create(EventCoder.of())
        .addElements(stamped.get(0), stamped.subList(1, stamped.size()).toArray(newArray()))
        .advanceWatermarkToInfinity();
  }

  @SuppressWarnings("unchecked")
  private static TimestampedValue<Event>[] newArray() {
    return (TimestampedValue<Event>[]) new TimestampedValue<?>[0];
  }

  private static List<Enriched<Event>> expected(List<Event> events) {
    return events.stream()
        .map(e -> Enriched.of(e, RECORDS.get(e.key())))
        .collect(Collectors.toList());
  }

  @Test
  public void keysOfABundle_areFetchedInBatchesOfAtMostTheBatchSize() {
    RecordingHandler handler = RecordingHandler.over("batches", RECORDS);
    List<Event> events = eventsOverKeys("e", 40, 10);
    Result<Enriched<Event>> result =
        p.apply(oneBundle(events)).apply(Enrich.fromLookup(handler).withBatchSize(4));
    PAssert.that(result.output()).containsInAnyOrder(expected(events));
    PipelineResult run = p.run();
    run.waitUntilFinish();

    List<List<String>> calls = handler.calls();
    assertThat(
        calls.stream().map(List::size).collect(Collectors.toList()),
        everyItem(lessThanOrEqualTo(4)));
    // 10 distinct keys, each asked once however often it occurs: 4 + 4 + 2.
    assertEquals(3, calls.size());
    Set<String> asked = new HashSet<>();
    calls.forEach(asked::addAll);
    assertEquals(10, asked.size());
    DistributionResult sizes = distribution(run, StreamfirstMetrics.ENRICH_BATCH_SIZE);
    assertEquals(10, sizes.getSum());
    assertEquals(3, sizes.getCount());
  }

  @Test
  public void batchSizeOne_makesOneCallPerKey() {
    RecordingHandler handler = RecordingHandler.over("per-key", RECORDS);
    List<Event> events = eventsOverKeys("e", 6, 6);
    Result<Enriched<Event>> result =
        p.apply(oneBundle(events)).apply(Enrich.fromLookup(handler).withBatchSize(1));
    PAssert.that(result.output()).containsInAnyOrder(expected(events));
    p.run().waitUntilFinish();
    assertEquals(6, handler.calls().size());
  }

  @Test
  public void keysSeenInAnEarlierBundle_areAnsweredFromTheCache() {
    RecordingHandler handler = RecordingHandler.over("cache", RECORDS);
    List<Event> first = eventsOverKeys("a", 5, 5);
    List<Event> second = eventsOverKeys("b", 5, 5);
    TestStream<Event> stream =
        TestStream.create(EventCoder.of())
            .addElements(
                stamped(first.get(0)),
                first.subList(1, 5).stream()
                    .map(EnrichTestEvents::stamped)
                    .toArray(TimestampedValue[]::new))
            .advanceProcessingTime(Duration.standardSeconds(1))
            .addElements(
                stamped(second.get(0)),
                second.subList(1, 5).stream()
                    .map(EnrichTestEvents::stamped)
                    .toArray(TimestampedValue[]::new))
            .advanceWatermarkToInfinity();
    List<Event> all = new ArrayList<>(first);
    all.addAll(second);
    Result<Enriched<Event>> result = p.apply(stream).apply(Enrich.fromLookup(handler));
    PAssert.that(result.output()).containsInAnyOrder(expected(all));
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertEquals(1, handler.calls().size());
    assertEquals(5, counter(run, StreamfirstMetrics.ENRICH_CACHE_HITS));
    assertEquals(5, counter(run, StreamfirstMetrics.ENRICH_CACHE_MISSES));
  }

  @Test
  public void keyWithoutARecord_isCachedAsAMissAndAskedOnce() {
    RecordingHandler handler = RecordingHandler.over("negative", RECORDS);
    Event first = event("x-1", "nobody", 1);
    Event again = event("x-2", "nobody", 2);
    TestStream<Event> stream =
        TestStream.create(EventCoder.of())
            .addElements(stamped(first))
            .advanceProcessingTime(Duration.standardSeconds(1))
            .addElements(stamped(again))
            .advanceWatermarkToInfinity();
    Result<Enriched<Event>> result =
        p.apply(stream).apply(Enrich.fromLookup(handler).withOnMiss(OnMiss.DEAD_LETTER));
    PAssert.that(result.output()).empty();
    PAssert.that(result.deadLetters())
        .satisfies(
            letters -> {
              List<String> errors = new ArrayList<>();
              letters.forEach(l -> errors.add(l.error()));
              assertEquals(
                  List.of(
                      "no reference data for key 'nobody'", "no reference data for key 'nobody'"),
                  errors);
              return null;
            });
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertEquals(1, handler.calls().size());
    assertEquals(2, counter(run, StreamfirstMetrics.ENRICH_NOT_FOUND));
  }

  @Test
  public void transientFailures_areRetriedAndNothingIsLost() {
    RecordingHandler handler =
        RecordingHandler.over("flaky", RECORDS).failingFirst(2, Failure.TRANSIENT);
    List<Event> events = eventsOverKeys("e", 8, 4);
    Result<Enriched<Event>> result =
        p.apply(oneBundle(events))
            .apply(Enrich.fromLookup(handler).withInitialBackoff(Duration.millis(10)));
    PAssert.that(result.output()).containsInAnyOrder(expected(events));
    PAssert.that(result.deadLetters()).empty();
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertEquals(2, counter(run, StreamfirstMetrics.ENRICH_RETRIES));
    assertEquals(3, counter(run, StreamfirstMetrics.ENRICH_LOOKUPS));
    assertEquals(0, counter(run, StreamfirstMetrics.ENRICH_LOOKUP_FAILURES));
  }

  @Test
  public void failureAfterRetries_deadLettersEveryEventWithTheReason() {
    RecordingHandler handler =
        RecordingHandler.over("down", RECORDS).failingFirst(1_000, Failure.TRANSIENT);
    List<Event> events = eventsOverKeys("e", 3, 3);
    Result<Enriched<Event>> result =
        p.apply(oneBundle(events))
            .apply(
                Enrich.fromLookup(handler)
                    .withMaxRetries(2)
                    .withInitialBackoff(Duration.millis(10))
                    .withOnOutage(OnOutage.DEAD_LETTER));
    PAssert.that(result.output()).empty();
    HashSet<String> expectedPayloads =
        events.stream().map(Event::payload).collect(Collectors.toCollection(HashSet::new));
    PAssert.that(result.deadLetters())
        .satisfies(
            letters -> {
              Set<String> payloads = new HashSet<>();
              for (DeadLetter letter : letters) {
                payloads.add(letter.payload());
                assertEquals("enrich", letter.stage());
                assertThat(letter.error(), containsString("lookup failed after 3 attempts"));
                assertThat(letter.error(), containsString("service unavailable"));
              }
              assertEquals(expectedPayloads, payloads);
              return null;
            });
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertEquals(1, counter(run, StreamfirstMetrics.ENRICH_LOOKUP_FAILURES));
    assertEquals(3, counter(run, StreamfirstMetrics.DEAD_LETTERS));
  }

  @Test
  public void outageLongerThanTheRetries_isWaitedOutByDefault_nothingIsDeadLettered() {
    RecordingHandler handler =
        RecordingHandler.over("long-outage", RECORDS).failingFirst(8, Failure.TRANSIENT);
    List<Event> events = eventsOverKeys("e", 3, 3);
    Result<Enriched<Event>> result =
        p.apply(oneBundle(events))
            .apply(
                Enrich.fromLookup(handler)
                    .withMaxRetries(2)
                    .withInitialBackoff(Duration.millis(5)));
    PAssert.that(result.output()).containsInAnyOrder(expected(events));
    PAssert.that(result.deadLetters()).empty();
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertEquals(0, counter(run, StreamfirstMetrics.ENRICH_LOOKUP_FAILURES));
  }

  @Test
  public void outageWithFail_failsTheBundleForTheRunnerToRetry() {
    RecordingHandler handler =
        RecordingHandler.over("fail-outage", RECORDS).failingFirst(1_000, Failure.TRANSIENT);
    p.apply(oneBundle(eventsOverKeys("e", 2, 2)))
        .apply(
            Enrich.fromLookup(handler)
                .withMaxRetries(1)
                .withInitialBackoff(Duration.millis(5))
                .withOnOutage(OnOutage.FAIL));
    Exception e = org.junit.Assert.assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    assertThat(e.getMessage(), containsString("is unavailable (onOutage=FAIL)"));
    assertThat(e.getMessage(), containsString("lookup failed after 2 attempts"));
  }

  @Test
  public void callSlowerThanTheTimeout_isAbandonedAndRetried() {
    RecordingHandler handler = RecordingHandler.over("slow", RECORDS).failingFirst(1, Failure.SLOW);
    List<Event> events = eventsOverKeys("e", 4, 2);
    Result<Enriched<Event>> result =
        p.apply(oneBundle(events))
            .apply(
                Enrich.fromLookup(handler)
                    .withTimeout(Duration.millis(200))
                    .withInitialBackoff(Duration.millis(10)));
    PAssert.that(result.output()).containsInAnyOrder(expected(events));
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertEquals(1, counter(run, StreamfirstMetrics.ENRICH_RETRIES));
  }
}
