package dev.streamfirst.pipelines.sessions;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.pipelines.PipelineFiles;
import dev.streamfirst.pipelines.options.InvalidOptionsException;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Input;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The sessions pipeline end to end over files: every final session row must equal the independently
 * computed answer ({@link ReferenceSessions}).
 */
public class SessionsPipelineTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
  private static final long GAP = 120_000;
  private static final long TTL = 600_000;
  private static final List<Input> EVENTS = new ArrayList<>();
  private static Path input;

  @BeforeClass
  public static void writeInput() throws IOException {
    Random random = new Random(1125);
    List<String> lines = new ArrayList<>();
    int id = 0;
    for (String user : List.of("u1", "u2", "u3", "ユーザー")) {
      long t = T0 + random.nextInt(60_000);
      for (int burst = 0; burst < 6; burst++) {
        int clicks = 1 + random.nextInt(8);
        for (int c = 0; c < clicks; c++) {
          Input e = new Input("c-" + id++, user, t, random.nextInt(100));
          lines.add(PipelineFiles.line(e));
          EVENTS.add(e);
          if (id % 5 == 0) {
            lines.add(PipelineFiles.line(e)); // re-delivered: must not count
            EVENTS.add(e);
          }
          t += random.nextInt(60_000);
        }
        // Mostly a new session; now and then exactly one gap (still new), or less (merged).
        int pause = random.nextInt(4);
        t += pause == 0 ? GAP : pause == 1 ? GAP - 1 : GAP + random.nextInt(600_000);
      }
    }
    lines.add("{\"broken\"");
    Collections.shuffle(lines, random);
    input = PipelineFiles.write(TMP.newFolder("input").toPath(), lines);
  }

  private static List<List<String>> run(String... flags) throws IOException {
    String out = TMP.newFolder().toPath().toString();
    List<String> args = new ArrayList<>(List.of(flags));
    args.add("--runner=DirectRunner");
    args.add("--sink=file://" + out + "/rows");
    args.add("--deadLetter=file://" + out + "/dead");
    SessionsOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(SessionsOptions.class);
    assertEquals(
        PipelineResult.State.DONE, SessionsPipeline.create(options).run().waitUntilFinish());
    return List.of(PipelineFiles.read(out + "/rows"), PipelineFiles.read(out + "/dead"));
  }

  private static String fields(JsonNode row) {
    return String.join(
        "|",
        row.get("key").asText(),
        row.get("window_start").asText(),
        row.get("window_end").asText(),
        row.get("events").asText(),
        row.get("first_event").asText(),
        row.get("last_event").asText(),
        row.get("duration_ms").asText());
  }

  @Test
  public void sessionsWithEarlyFirings_finalRowsMatchIndependentAnswer() throws IOException {
    List<List<String>> out =
        run("--source=file://" + input, "--sessionGap=2m", "--earlyFiringsEveryCount=3");

    List<String> finals = new ArrayList<>();
    int early = 0;
    for (String line : out.get(0)) {
      JsonNode row = JSON.readTree(line);
      if (row.get("final").asBoolean()) {
        assertEquals(line, "ON_TIME", row.get("pane").asText());
        finals.add(fields(row));
      } else {
        assertEquals(line, "EARLY", row.get("pane").asText());
        early++;
      }
    }
    List<String> expected = ReferenceSessions.sessions(EVENTS, GAP, TTL);
    Collections.sort(expected);
    Collections.sort(finals);
    assertEquals(expected, finals);
    assertTrue("sessions with more than 3 events fire early", early > 0);
    assertEquals(1, out.get(1).size());
    assertThat(out.get(1).get(0), containsString("\"stage\":\"parse\""));
  }

  @Test
  public void generator_runs_everySessionRowHasItsWindowAndCounts() throws IOException {
    List<List<String>> out =
        run(
            "--source=generator://events?count=1000&keys=4&duplicates=0.05&disorder=1s&interval=200ms",
            "--sessionGap=1s");

    assertThat(out.get(0), not(empty()));
    long events = 0;
    for (String line : out.get(0)) {
      JsonNode row = JSON.readTree(line);
      assertTrue(line, row.get("final").asBoolean());
      assertFalse(line, row.get("window_start").asText().isEmpty());
      assertTrue(
          line,
          Instant.parse(row.get("window_end").asText())
              .isAfter(Instant.parse(row.get("last_event").asText())));
      events += row.get("events").asLong();
    }
    assertEquals(1000, events);
  }

  @Test
  public void badOptions_failBeforeRunning_namingEachOption() {
    SessionsOptions options =
        PipelineOptionsFactory.fromArgs(
                "--sessionGap=0s", "--earlyFiringsEveryCount=-1", "--dedupTtl=forever")
            .as(SessionsOptions.class);

    InvalidOptionsException e =
        assertThrows(InvalidOptionsException.class, () -> SessionsPipeline.create(options));

    assertThat(
        e.getMessage(), containsString("--sessionGap=0s: must be positive, e.g. --sessionGap=30m"));
    assertThat(
        e.getMessage(),
        containsString(
            "--earlyFiringsEveryCount=-1: must be 0 (none) or more, e.g. --earlyFiringsEveryCount=100"));
    assertThat(e.getMessage(), containsString("--dedupTtl=forever"));
    assertEquals(3, e.problems().size());
  }
}
