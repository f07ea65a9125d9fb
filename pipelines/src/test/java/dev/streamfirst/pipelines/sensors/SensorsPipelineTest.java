package dev.streamfirst.pipelines.sensors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The sensors pipeline end to end over files: every summary row and every alert must equal the
 * independently computed answer ({@link ReferenceSensors}); malformed lines become dead letters.
 */
public class SensorsPipelineTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final long TTL = 10 * MINUTE;
  private static final List<Input> EVENTS = new ArrayList<>();
  private static final List<String> MALFORMED =
      List.of("not json", "{\"id\":\"m1\",\"key\":\"hot\",\"ts\":\"soon\",\"value\":1}", "[]");
  private static Path input;

  @BeforeClass
  public static void writeInput() throws IOException {
    Random random = new Random(20261125);
    List<String> lines = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < 150; i++) {
      long ts = T0 + random.nextInt((int) (40 * MINUTE));
      long minute = (ts - T0) / MINUTE;
      // Hot, except for a cool spell from minute 12 to 20.
      double value =
          minute >= 12 && minute < 20
              ? 30 + random.nextInt(2000) / 100.0
              : 82 + random.nextInt(1500) / 100.0;
      n = add(lines, new Input("h-" + i, "hot", ts, value), n);
    }
    for (int i = 0; i < 100; i++) {
      long ts = T0 + random.nextInt((int) (40 * MINUTE));
      n = add(lines, new Input("c-" + i, "cool", ts, 10 + random.nextInt(50)), n);
    }
    for (int i = 0; i < 60; i++) {
      // Silent from before minute 5 to after minute 17.
      long offset =
          i % 2 == 0
              ? random.nextInt((int) (5 * MINUTE))
              : 17 * MINUTE + random.nextInt((int) (13 * MINUTE));
      n = add(lines, new Input("q-" + i, "quiet", T0 + offset, 20 + random.nextInt(10)), n);
    }
    lines.addAll(MALFORMED);
    Collections.shuffle(lines, random);
    input = PipelineFiles.write(TMP.newFolder("input").toPath(), lines);
  }

  /** Adds the event, and now and then a re-delivery or a same-id copy that must not count. */
  private static int add(List<String> lines, Input e, int n) {
    lines.add(PipelineFiles.line(e));
    EVENTS.add(e);
    if (n % 7 == 0) {
      lines.add(PipelineFiles.line(e));
      EVENTS.add(e);
    }
    if (n % 19 == 0) {
      Input copy = new Input(e.id(), e.key(), e.ts() + 30_000, e.value() + 500);
      lines.add(PipelineFiles.line(copy));
      EVENTS.add(copy);
    }
    return n + 1;
  }

  private static Map<String, List<String>> run(String... flags) throws IOException {
    String out = TMP.newFolder().toPath().toString();
    List<String> args = new ArrayList<>(List.of(flags));
    args.add("--runner=DirectRunner");
    args.add("--sink=file://" + out + "/rows");
    args.add("--alertSink=file://" + out + "/alerts");
    args.add("--deadLetter=file://" + out + "/dead");
    SensorsOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(SensorsOptions.class);
    assertEquals(
        PipelineResult.State.DONE, SensorsPipeline.create(options).run().waitUntilFinish());
    Map<String, List<String>> outputs = new HashMap<>();
    for (String name : List.of("rows", "alerts", "dead")) {
      outputs.put(name, PipelineFiles.read(out + "/" + name));
    }
    return outputs;
  }

  private static String rowFields(JsonNode row) {
    return String.join(
        "|",
        row.get("key").asText(),
        row.get("window_start").asText(),
        row.get("window_end").asText(),
        row.get("count").asText(),
        Double.toString(row.get("sum").asDouble()),
        Double.toString(row.get("min").asDouble()),
        Double.toString(row.get("max").asDouble()),
        Double.toString(row.get("mean").asDouble()),
        Double.toString(row.get("p50").asDouble()),
        Double.toString(row.get("p95").asDouble()),
        Double.toString(row.get("p99").asDouble()),
        row.get("distinct").asText());
  }

  private static String format(ReferenceSensors.Row r) {
    return String.join(
        "|",
        r.key(),
        iso(r.start()),
        iso(r.end()),
        Long.toString(r.count()),
        Double.toString(r.sum()),
        Double.toString(r.min()),
        Double.toString(r.max()),
        Double.toString(r.mean()),
        Double.toString(r.p50()),
        Double.toString(r.p95()),
        Double.toString(r.p99()),
        Long.toString(r.distinct()));
  }

  private static String iso(long millis) {
    return org.joda.time.Instant.ofEpochMilli(millis).toString();
  }

  private static List<String> parse(
      List<String> lines, java.util.function.Function<JsonNode, String> f) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(f.apply(JSON.readTree(line)));
    }
    Collections.sort(out);
    return out;
  }

  @Test
  public void slidingWindows_rowsAndAlerts_matchIndependentAnswer() throws IOException {
    Map<String, List<String>> out =
        run("--source=file://" + input, "--window=sliding:5m/1m", "--missingAfter=5m");

    List<ReferenceSensors.Row> expectedRows =
        ReferenceSensors.rows(EVENTS, 5 * MINUTE, MINUTE, TTL);
    List<String> expected =
        expectedRows.stream()
            .map(SensorsPipelineTest::format)
            .sorted()
            .collect(Collectors.toList());
    for (String line : out.get("rows")) {
      JsonNode row = JSON.readTree(line);
      assertEquals(line, "ON_TIME", row.get("pane").asText());
      assertTrue(line, row.get("final").asBoolean());
    }
    assertEquals(expected, parse(out.get("rows"), SensorsPipelineTest::rowFields));

    List<String> expectedAlerts = new ArrayList<>(ReferenceSensors.meanAlerts(expectedRows, 80, 3));
    expectedAlerts.addAll(ReferenceSensors.silences(EVENTS, TTL, 5 * MINUTE));
    Collections.sort(expectedAlerts);
    // The input is built so that both kinds of alert happen.
    assertThat(expectedAlerts, not(empty()));
    assertTrue(expectedAlerts.stream().anyMatch(a -> a.startsWith("quiet|OPEN")));
    assertTrue(expectedAlerts.stream().anyMatch(a -> a.startsWith("hot|RESOLVED")));
    assertEquals(
        expectedAlerts,
        parse(
            out.get("alerts"),
            a ->
                a.get("key").asText()
                    + "|"
                    + a.get("status").asText()
                    + "|"
                    + a.get("at").asText()));

    assertEquals(
        MALFORMED.stream().sorted().collect(Collectors.toList()),
        parse(
            out.get("dead"),
            d -> d.get("stage").asText().equals("parse") ? d.get("payload").asText() : "?"));
  }

  @Test
  public void generator_runs_andEveryAlertOpensBeforeItResolves() throws IOException {
    Map<String, List<String>> out =
        run(
            "--source=generator://events?count=1000&keys=5&duplicates=0.05&malformed=0.01&disorder=5s",
            "--window=sliding:10s/5s",
            "--alertRule=p95 > 90 for 2 windows",
            "--missingAfter=1s");

    assertThat(out.get("rows"), not(empty()));
    long events = 0;
    for (String line : out.get("rows")) {
      JsonNode row = JSON.readTree(line);
      for (String field :
          List.of("key", "window_start", "window_end", "p50", "p95", "p99", "distinct")) {
        assertTrue(line, row.has(field));
      }
      events += row.get("count").asLong();
    }
    // Each event is in two sliding windows.
    assertTrue("events in windows: " + events, events > 2 * 800);
    Map<String, String> lastStatus = new HashMap<>();
    for (String alert :
        parse(
            out.get("alerts"),
            a ->
                a.get("key").asText()
                    + "|"
                    + a.get("rule").asText()
                    + "|"
                    + a.get("at").asText()
                    + "|"
                    + a.get("status").asText())) {
      String[] parts = alert.split("\\|");
      String series = parts[0] + "|" + parts[1];
      String previous = lastStatus.put(series, parts[3]);
      assertTrue(alert, !parts[3].equals(previous == null ? "RESOLVED" : previous));
    }
    for (String line : out.get("dead")) {
      assertThat(line, containsString("\"stage\":\"parse\""));
    }
  }

  @Test
  public void badOptions_failBeforeRunning_namingEachOption() {
    SensorsOptions options =
        PipelineOptionsFactory.fromArgs(
                "--alertRule=mean above 80",
                "--missingAfter=soon",
                "--earlyFiringsEvery=0s",
                "--alertSink=nowhere")
            .as(SensorsOptions.class);

    InvalidOptionsException e =
        assertThrows(InvalidOptionsException.class, () -> SensorsPipeline.create(options));

    assertThat(
        e.getMessage(),
        containsString(
            "--alertRule=mean above 80: rule 'mean above 80' is not <metric> <op> <number> for <n>"
                + " windows, e.g. mean > 80 for 3 windows"));
    assertThat(e.getMessage(), containsString("--missingAfter=soon"));
    assertThat(
        e.getMessage(),
        containsString("--earlyFiringsEvery=0s: must be positive, e.g. --earlyFiringsEvery=10s"));
    assertThat(e.getMessage(), containsString("--alertSink=nowhere"));
    assertEquals(4, e.problems().size());
  }
}
