package dev.streamfirst.runners.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RunReportTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private RunFacts facts(Optional<Path> rows, Optional<Path> dead) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("events_read", 100L);
    counts.put("dead_letters", 2L);
    counts.put("rows", 3L);
    return new RunFacts(
        "rollup",
        "DirectRunner",
        "DONE",
        0,
        Instant.parse("2026-12-03T10:00:00Z"),
        Instant.parse("2026-12-03T10:00:10Z"),
        counts,
        Map.of("events_read", 100L),
        Map.of(
            "rows_window_60000", 2L,
            "rows_window_0", 1L,
            "row_latency_le_100", 1L,
            "row_latency_le_inf", 2L,
            "dead_letters_stage_parse", 2L),
        Map.of("sink", "file:///x"),
        List.of(new RunFacts.Sample(2, 40, 0, 1), new RunFacts.Sample(4, 100, 3, 2)),
        rows,
        dead);
  }

  @Test
  public void summary_turnsCountersIntoSeries() {
    JsonNode s = RunReport.summary(facts(Optional.empty(), Optional.empty()), read(null, null));
    assertEquals(10.0, s.path("seconds").asDouble(), 0);
    assertEquals(10.0, s.at("/events_per_second/average").asDouble(), 0);
    assertEquals(20.0, s.at("/events_per_second/series/0/events_per_second").asDouble(), 0);
    assertEquals(30.0, s.at("/events_per_second/series/1/events_per_second").asDouble(), 0);
    assertEquals(30.0, s.at("/events_per_second/peak").asDouble(), 0);
    assertEquals("1970-01-01T00:00:00Z", s.at("/rows_per_window/windows/0/window_start").asText());
    assertEquals(2, s.at("/rows_per_window/windows/1/rows").asLong());
    assertEquals(1, s.at("/row_latency_ms/buckets/0/rows").asLong());
    assertEquals(true, s.at("/row_latency_ms/buckets/11/le").isNull());
    assertEquals(3, s.at("/row_latency_ms/rows").asLong());
    assertEquals(2, s.at("/dead_letters/by_stage/parse").asLong());
  }

  @Test
  public void deadLetterPayloads_areEscapedInThePage() throws Exception {
    Path rows = tmp.newFolder("rows").toPath();
    Path dead = tmp.newFolder("dead").toPath();
    Files.writeString(
        rows.resolve("part-0.jsonl"),
        "{\"key\":\"a\",\"window_start\":\"w1\",\"count\":5,\"pane_index\":0}\n"
            + "{\"key\":\"a\",\"window_start\":\"w1\",\"count\":7,\"pane_index\":1}\n"
            + "{\"key\":\"b\",\"window_start\":\"w1\",\"count\":6,\"pane_index\":0}\n",
        StandardCharsets.UTF_8);
    Files.writeString(
        dead.resolve("part-0.jsonl"),
        "{\"payload\":\"<script>alert(1)</script>\",\"error\":\"not valid JSON\",\"stage\":\"parse\"}\n"
            + "{\"payload\":\"{\\\"id\\\":7}\",\"error\":\"field 'ts' is missing\",\"stage\":\"parse\"}\n",
        StandardCharsets.UTF_8);

    RunReport.Written written =
        RunReport.write(
            tmp.getRoot().toPath().resolve("report"), facts(Optional.of(rows), Optional.of(dead)));

    JsonNode s = new ObjectMapper().readTree(written.summary().toFile());
    // The later pane of a key and window replaces the earlier one.
    assertEquals("a", s.at("/top_keys/keys/0/key").asText());
    assertEquals(7, s.at("/top_keys/keys/0/events").asLong());
    // Equal counts: by reason, alphabetically.
    assertEquals("field 'ts' is missing", s.at("/dead_letters/by_reason/0/reason").asText());
    assertEquals("not valid JSON", s.at("/dead_letters/by_reason/1/reason").asText());
    assertEquals(
        "<script>alert(1)</script>", s.at("/dead_letters/by_reason/1/examples/0").asText());
    String html = Files.readString(written.html());
    assertThat(html, not(containsString("<script")));
    assertThat(html, containsString("&lt;script&gt;alert(1)&lt;/script&gt;"));
  }

  @Test
  public void reasons_groupErrorsThatDifferOnlyInTheirValues() {
    assertEquals("field 'ts' is not a time", FileOutputs.reasonOf("field 'ts' is not a time: 12x"));
    assertEquals(
        FileOutputs.reasonOf("window ended 3 s ago"),
        FileOutputs.reasonOf("window ended 41 s ago"));
  }

  private static FileOutputs read(Path rows, Path dead) {
    try {
      return FileOutputs.read(Optional.ofNullable(rows), Optional.ofNullable(dead));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
