package dev.streamfirst.transforms.enrich;

import static dev.streamfirst.transforms.enrich.EnrichTestEvents.event;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.Result;
import dev.streamfirst.transforms.events.Event;
import dev.streamfirst.transforms.events.EventCoder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/** {@link Enrich} from a table held as a side input, the miss policies and the checks. */
public class EnrichTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Map<String, String> ACCOUNTS =
      Map.of(
          "acct-1", "{\"country\":\"DE\",\"usual_amount\":40}",
          "acct-2", "{\"country\":\"FR\",\"usual_amount\":900}");

  private static final ReferenceTable TABLE = () -> ACCOUNTS;

  private PCollection<Event> events(Event... events) {
    return p.apply(Create.of(List.of(events)).withCoder(EventCoder.of()));
  }

  @Test
  public void fromTable_joinsEachEventWithItsKeysRecord() {
    Event a = event("t-1", "acct-1", 10);
    Event b = event("t-2", "acct-2", 20);
    Event c = event("t-3", "acct-1", 30);
    Result<Enriched<Event>> result = events(a, b, c).apply(Enrich.fromTable(TABLE));
    PAssert.that(result.output())
        .containsInAnyOrder(
            Enriched.of(a, ACCOUNTS.get("acct-1")),
            Enriched.of(b, ACCOUNTS.get("acct-2")),
            Enriched.of(c, ACCOUNTS.get("acct-1")));
    PAssert.that(result.deadLetters()).empty();
    p.run().waitUntilFinish();
  }

  @Test
  public void missWithPassThrough_passesTheEventOnWithoutReference() {
    Event known = event("t-1", "acct-1", 10);
    Event unknown = event("t-2", "acct-404", 20);
    Result<Enriched<Event>> result = events(known, unknown).apply(Enrich.fromTable(TABLE));
    PAssert.that(result.output())
        .containsInAnyOrder(Enriched.of(known, ACCOUNTS.get("acct-1")), Enriched.of(unknown, null));
    PAssert.that(result.deadLetters()).empty();
    p.run().waitUntilFinish();
  }

  @Test
  public void missWithDrop_dropsTheEvent() {
    Event known = event("t-1", "acct-1", 10);
    Event unknown = event("t-2", "acct-404", 20);
    Result<Enriched<Event>> result =
        events(known, unknown).apply(Enrich.fromTable(TABLE).withOnMiss(OnMiss.DROP));
    PAssert.that(result.output()).containsInAnyOrder(Enriched.of(known, ACCOUNTS.get("acct-1")));
    PAssert.that(result.deadLetters()).empty();
    p.run().waitUntilFinish();
  }

  @Test
  public void missWithDeadLetter_keepsThePayloadAndNamesTheKey() {
    Event unknown = event("t-2", "acct-404", 20);
    Result<Enriched<Event>> result =
        events(unknown).apply(Enrich.fromTable(TABLE).withOnMiss(OnMiss.DEAD_LETTER));
    PAssert.that(result.output()).empty();
    String payload = unknown.payload();
    PAssert.that(result.deadLetters())
        .satisfies(
            letters -> {
              DeadLetter letter = letters.iterator().next();
              assertEquals(payload, letter.payload());
              assertEquals("no reference data for key 'acct-404'", letter.error());
              assertEquals("enrich", letter.stage());
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void forElements_enrichesOtherTypesByTheirKey() {
    PCollection<String> words = p.apply(Create.of("acct-2", "acct-1"));
    PCollection<String> countries =
        words
            .apply(Enrich.fromTable(TABLE).forElements((String w) -> w, (String w) -> w))
            .output()
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(e -> e.element() + ":" + e.referenceField("country").asText()));
    PAssert.that(countries).containsInAnyOrder("acct-1:DE", "acct-2:FR");
    p.run().waitUntilFinish();
  }

  @Test
  public void toJson_mergesTheRecordUnderItsField() {
    assertEquals(
        "{\"id\":\"t-1\",\"ref\":{\"country\":\"DE\"}}",
        Enriched.toJson("{\"id\":\"t-1\"}", "ref", "{\"country\":\"DE\"}"));
    assertEquals("{\"id\":\"t-1\",\"ref\":null}", Enriched.toJson("{\"id\":\"t-1\"}", "ref", null));
  }

  @Test
  public void referenceField_isMissingWithoutARecord() {
    Event e = event("t-1", "k", 1);
    assertTrue(Enriched.of(e, null).referenceField("country").isMissingNode());
    assertFalse(Enriched.of(e, null).found());
    assertEquals(40, Enriched.of(e, ACCOUNTS.get("acct-1")).referenceField("usual_amount").asInt());
  }

  @Test
  public void invalidSettings_nameTheMethodAndTheValue() {
    EnrichFromLookup<Event> lookup = Enrich.fromLookup(RecordingHandler.over("checks", ACCOUNTS));
    assertEquals(
        "withBatchSize() must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> lookup.withBatchSize(0)).getMessage());
    assertEquals(
        "withCacheSize() must be at least 1, got 0; to turn caching off use withoutCache()",
        assertThrows(IllegalArgumentException.class, () -> lookup.withCacheSize(0)).getMessage());
    assertEquals(
        "withTimeout() must be positive, got 0ms",
        assertThrows(IllegalArgumentException.class, () -> lookup.withTimeout(Duration.ZERO))
            .getMessage());
    assertEquals(
        "withMaxRetries() must be 0 or more, got -1",
        assertThrows(IllegalArgumentException.class, () -> lookup.withMaxRetries(-1)).getMessage());
    assertEquals(
        "refreshedEvery() must be positive, got 0ms",
        assertThrows(
                IllegalArgumentException.class,
                () -> Enrich.fromTable(TABLE).refreshedEvery(Duration.ZERO))
            .getMessage());
    assertEquals(
        "Enrich.fromTable() needs a reference table, got null",
        assertThrows(IllegalArgumentException.class, () -> Enrich.fromTable(null)).getMessage());
  }

  @Test
  public void displayData_showsEveryLookupSetting() {
    EnrichFromLookup<Event> lookup =
        Enrich.fromLookup(RecordingHandler.over("display", ACCOUNTS))
            .withBatchSize(50)
            .withCacheTtl(Duration.standardMinutes(2))
            .withOnMiss(OnMiss.DROP);
    List<String> items =
        StreamSupport.stream(DisplayData.from(lookup).items().spliterator(), false)
            .map(i -> i.getKey() + "=" + i.getValue())
            .collect(Collectors.toList());
    assertThat(items, hasItem("batchSize=50"));
    assertThat(items, hasItem("cacheTtl=2m"));
    assertThat(items, hasItem("onMiss=DROP"));
    assertThat(items, hasItem("timeout=5s"));
    assertThat(items, hasItem("reference=RecordingHandler(display)"));
  }
}
