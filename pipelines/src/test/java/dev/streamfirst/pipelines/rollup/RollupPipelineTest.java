package dev.streamfirst.pipelines.rollup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfirst.io.generator.EventGenerator;
import dev.streamfirst.io.generator.GeneratorSpec;
import dev.streamfirst.pipelines.options.InvalidOptionsException;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Input;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Rollup end to end over files: every output row must equal the independently computed answer, and
 * every malformed line must appear exactly once among the dead letters, exactly as it was.
 */
public class RollupPipelineTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final long TTL = 10 * MINUTE;
  private static final List<String> KEYS =
      List.of(
          "sensor-1",
          "ключ-датчика",
          "センサー",
          "a \"quoted\", key",
          "comma,separated,key",
          "emoji-🌡️");

  private static final List<Input> EVENTS = new ArrayList<>();
  private static final List<String> MALFORMED = new ArrayList<>();
  private static final List<String> LINES = new ArrayList<>();
  private static final long WATCH_TIMEOUT_MILLIS = 120_000;
  private static Path input;

  @BeforeClass
  public static void writeInput() throws IOException {
    Random random = new Random(20261127);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      Input e =
          new Input(
              "e-" + i,
              KEYS.get(random.nextInt(KEYS.size())),
              T0 + random.nextInt((int) (40 * MINUTE)),
              random.nextInt(20_000) / 100.0 - 50);
      addEvent(lines, e, i);
      if (i % 9 == 0) {
        addEvent(lines, e, i); // a byte-identical re-delivery
      }
      if (i % 23 == 0) {
        // the same id again, within the TTL, with another value: it must not count
        addEvent(lines, new Input(e.id(), e.key(), e.ts() + 90_000, e.value() + 1000), i + 1);
      }
      if (i % 31 == 0) {
        // the same id beyond the TTL: a new event that counts
        addEvent(lines, new Input(e.id(), e.key(), e.ts() + TTL + 1, 7.25), i + 2);
      }
    }
    // Exact values whose naive double sum depends on the order of addition.
    for (int i = 0; i < 30; i++) {
      addEvent(lines, new Input("exact-" + i, "sensor-1", T0 + 5_000 + i, 0.1 * (i % 7)), i);
    }
    MALFORMED.addAll(
        List.of(
            "not json at all",
            "[1,2,3]",
            "\"just a string\"",
            "{\"id\":\"m1\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00Z\"}",
            "{\"id\":\"m2\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00Z\",\"value\":\"12\"}",
            "{\"id\":\"\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00Z\",\"value\":1}",
            "{\"id\":\"m3\",\"key\":\"k\",\"ts\":\"yesterday\",\"value\":1}",
            "{\"id\":\"m4\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00\",\"value\":1}",
            "{\"id\":\"m5\",\"key\":7,\"ts\":1764064800000,\"value\":1}",
            "{\"id\":\"m6\",\"key\":\"k\",\"ts\":1764064800000,\"value\":1} trailing",
            "{\"id\":\"m7\",\"key\":\"k, \\\"q\\\"\",\"ts\":1.5,\"value\":1}",
            "{\"id\":\"m8\",\"key\":\"k\",\"ts\":1764064800000,\"value\":1e400}",
            "{\"id\":\"m9\",\"key\":\"ключ\",\"ts\":1764064800000,\"value\":null}",
            "{\"id\":\"m10\",\"key\":\"k\",\"key\":\"k2\",\"ts\":1764064800000,\"value\":1}",
            "{truncated"));
    lines.addAll(MALFORMED);
    lines.add("");
    lines.add("   ");
    Collections.shuffle(lines, random);

    LINES.addAll(lines);
    Path dir = TMP.newFolder("input").toPath();
    // Two files, so the source reads a directory and arrival order is not file order.
    int half = lines.size() / 2;
    Files.write(dir.resolve("a.jsonl"), lines.subList(0, half), StandardCharsets.UTF_8);
    Files.write(dir.resolve("b.jsonl"), lines.subList(half, lines.size()), StandardCharsets.UTF_8);
    input = dir;
  }

  /** Renders an event with its time in one of the accepted forms, and an extra field. */
  private static void addEvent(List<String> lines, Input e, int variant) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", e.id());
    node.put("key", e.key());
    Instant ts = Instant.ofEpochMilli(e.ts());
    switch (variant % 4) {
      case 0:
        node.put("ts", ts.toString());
        break;
      case 1:
        node.put("ts", ts.atOffset(ZoneOffset.ofHoursMinutes(5, 30)).toString());
        break;
      case 2:
        node.put("ts", ts.atOffset(ZoneOffset.ofHours(-8)).toString());
        break;
      default:
        node.put("ts", e.ts());
    }
    node.put("value", e.value());
    node.put("site", "plant \"north\", line 2");
    lines.add(node.toString());
    EVENTS.add(e);
  }

  private static List<String> run(String... flags) throws IOException {
    String out = TMP.newFolder().toPath().toString();
    List<String> args = new ArrayList<>(List.of(flags));
    args.add("--runner=DirectRunner");
    args.add("--source=file://" + input);
    args.add("--sink=file://" + out + "/rows");
    args.add("--deadLetter=file://" + out + "/dead");
    args.add("--dedupTtl=10m");
    RollupOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(RollupOptions.class);
    PipelineResult.State state = RollupPipeline.create(options).run().waitUntilFinish();
    assertEquals(PipelineResult.State.DONE, state);
    return List.of(out + "/rows", out + "/dead");
  }

  private static List<String> readLines(String dir) throws IOException {
    try (Stream<Path> files = Files.walk(Path.of(dir))) {
      List<String> lines = new ArrayList<>();
      for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
      return lines;
    }
  }

  private static List<String> actualRows(String dir) throws IOException {
    List<String> rows = new ArrayList<>();
    for (String line : readLines(dir)) {
      JsonNode row = JSON.readTree(line);
      assertEquals("ON_TIME", row.get("pane").asText());
      assertThat(row.get("window_start").asText(), endsWith("Z"));
      assertThat(row.get("window_end").asText(), endsWith("Z"));
      rows.add(
          String.join(
              "|",
              row.get("key").asText(),
              Instant.parse(row.get("window_start").asText()).toString(),
              Instant.parse(row.get("window_end").asText()).toString(),
              row.get("count").asText(),
              Double.toString(row.get("sum").asDouble()),
              Double.toString(row.get("min").asDouble()),
              Double.toString(row.get("max").asDouble()),
              Double.toString(row.get("mean").asDouble())));
    }
    Collections.sort(rows);
    return rows;
  }

  private static List<String> expectedRows(Kind kind, long size, long period) {
    return ReferenceRollup.rollup(EVENTS, kind, size, period, TTL).stream()
        .map(ReferenceRollup::format)
        .sorted()
        .collect(Collectors.toList());
  }

  private static void assertDeadLetters(String dir) throws IOException {
    List<String> payloads = new ArrayList<>();
    for (String line : readLines(dir)) {
      JsonNode letter = JSON.readTree(line);
      assertEquals("parse", letter.get("stage").asText());
      assertThat(letter.get("error").asText(), not(equalTo("")));
      assertThat(letter.get("timestamp").asText(), containsString("T"));
      payloads.add(letter.get("payload").asText());
    }
    List<String> expected = new ArrayList<>(MALFORMED);
    Collections.sort(expected);
    Collections.sort(payloads);
    assertEquals(expected, payloads);
  }

  @Test
  public void fixedWindows_matchIndependentAnswer() throws IOException {
    List<String> out = run("--window=fixed:5m");
    assertEquals(expectedRows(Kind.FIXED, 5 * MINUTE, 5 * MINUTE), actualRows(out.get(0)));
    assertDeadLetters(out.get(1));
  }

  @Test
  public void slidingWindows_matchIndependentAnswer() throws IOException {
    List<String> out = run("--window=sliding:10m/3m");
    assertEquals(expectedRows(Kind.SLIDING, 10 * MINUTE, 3 * MINUTE), actualRows(out.get(0)));
    assertDeadLetters(out.get(1));
  }

  @Test
  public void sessionWindows_matchIndependentAnswer() throws IOException {
    List<String> out = run("--window=session:2m");
    assertEquals(expectedRows(Kind.SESSION, 2 * MINUTE, 2 * MINUTE), actualRows(out.get(0)));
    assertDeadLetters(out.get(1));
  }

  @Test
  public void badOptions_failBeforeRunning_namingEachOption() {
    RollupOptions options =
        PipelineOptionsFactory.fromArgs(
                "--window=fixd:1m",
                "--dedupTtl=ten minutes",
                "--dedupReleaseInterval=0ms",
                "--allowedLateness=-1s",
                "--source=fil:///x")
            .as(RollupOptions.class);
    InvalidOptionsException e =
        assertThrows(InvalidOptionsException.class, () -> RollupPipeline.create(options));
    assertThat(e.getMessage(), containsString("--window=fixd:1m: unknown window kind 'fixd'"));
    assertThat(e.getMessage(), containsString("fixed:<size>"));
    assertThat(e.getMessage(), containsString("sliding:<size>/<period>"));
    assertThat(e.getMessage(), containsString("--dedupTtl=ten minutes"));
    assertThat(e.getMessage(), containsString("--allowedLateness=-1s"));
    assertThat(e.getMessage(), containsString("--dedupReleaseInterval=0ms: must be positive"));
    assertThat(e.getMessage(), containsString("--source=fil:///x"));
    assertEquals(5, e.problems().size());
  }

  @Test
  public void lateOnABoundedGenerator_isRefused_ratherThanIgnored() {
    RollupOptions options =
        PipelineOptionsFactory.fromArgs("--source=generator://events?count=100&late=0.1")
            .as(RollupOptions.class);

    InvalidOptionsException e =
        assertThrows(InvalidOptionsException.class, () -> RollupPipeline.create(options));

    assertThat(
        e.getMessage(),
        containsString(
            "--source=generator://events?count=100&late=0.1: late= has no effect on a bounded"
                + " generator"));
    assertThat(e.getMessage(), containsString("add rate=N"));
    assertEquals(1, e.problems().size());
  }

  @Test
  public void storeAsDeadLetterSink_isRefused_namingWhereDeadLettersCanGo() {
    for (String store :
        List.of(
            "jdbc:postgresql://localhost:5432/db?user=u&password=p&table=dead",
            "redis://localhost:6379?prefix=dead:")) {
      RollupOptions options =
          PipelineOptionsFactory.fromArgs("--deadLetter=" + store).as(RollupOptions.class);

      InvalidOptionsException e =
          assertThrows(InvalidOptionsException.class, () -> RollupPipeline.create(options));

      assertThat(e.getMessage(), containsString("--deadLetter="));
      assertThat(e.getMessage(), containsString("the stores take result rows only"));
      assertThat(e.getMessage(), containsString("file:, console:, kafka: or pubsub:"));
      assertEquals(1, e.problems().size());
    }
  }

  @Test
  public void badTriggerOptions_nameTheOptionAndAValidExample() {
    RollupOptions options =
        PipelineOptionsFactory.fromArgs(
                "--earlyFiringsEvery=often", "--earlyFiringsEveryCount=-5", "--panes=DISCARDING")
            .as(RollupOptions.class);

    InvalidOptionsException e =
        assertThrows(InvalidOptionsException.class, () -> RollupPipeline.create(options));

    assertThat(
        e.getMessage(),
        containsString(
            "--earlyFiringsEvery=often: 'often' is not a duration: use a whole number and a unit,"
                + " e.g. 250ms, 30s, 5m, 2h or 1d"));
    assertThat(
        e.getMessage(),
        containsString(
            "--earlyFiringsEveryCount=-5: must be 0 (none) or more, e.g."
                + " --earlyFiringsEveryCount=100"));
    assertEquals(2, e.problems().size());
  }

  @Test
  public void generatorWithLateEvents_nothingIsLost_lateOnesAreDeadLettered() throws IOException {
    String uri =
        "generator://events?count=1000&rate=4000&keys=4&interval=100ms&late=0.05&lateBy=2m"
            + "&start=2026-11-25T10:00:00Z";
    String out = TMP.newFolder().toPath().toString();
    RollupOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--source=" + uri,
                "--window=fixed:10s",
                "--sink=file://" + out + "/rows",
                "--deadLetter=file://" + out + "/dead")
            .withValidation()
            .as(RollupOptions.class);
    assertEquals(PipelineResult.State.DONE, RollupPipeline.create(options).run().waitUntilFinish());

    EventGenerator generator = new EventGenerator(GeneratorSpec.parse(uri));
    List<String> payloads = generator.payloads();
    List<String> latePayloads = new ArrayList<>();
    for (int i = 0; i < payloads.size(); i++) {
      if (generator.isLate(i)) {
        latePayloads.add(payloads.get(i));
      }
    }
    long counted = 0;
    for (String line : readLines(out + "/rows")) {
      JsonNode row = JSON.readTree(line);
      if (row.get("final").asBoolean()) {
        counted += row.get("count").asLong();
      }
    }
    List<String> dead = readLines(out + "/dead");
    for (String line : dead) {
      JsonNode letter = JSON.readTree(line);
      assertEquals(line, "late", letter.get("stage").asText());
      assertTrue(line, latePayloads.contains(letter.get("payload").asText()));
    }
    assertThat(dead, not(empty()));
    // Every event is either counted in its window or kept as a late dead letter.
    assertEquals(1000, counted + dead.size());
  }

  @Test
  public void watchedFolderOfPastEvents_givesTheRowsOfTheBoundedRead() throws Exception {
    // The same lines in event-time order, the way files of a day's events come: the first half is
    // there when the watch starts, the second arrives after rows of the first were written.
    List<String> ordered = new ArrayList<>(LINES);
    ordered.sort(java.util.Comparator.comparingLong(RollupPipelineTest::timeOrZero));
    int half = ordered.size() / 2;
    Path watched = TMP.newFolder().toPath();
    Path staging = TMP.newFolder().toPath();
    Files.write(watched.resolve("a.jsonl"), ordered.subList(0, half), StandardCharsets.UTF_8);
    Files.write(
        staging.resolve("b.jsonl"), ordered.subList(half, ordered.size()), StandardCharsets.UTF_8);
    String out = TMP.newFolder().toPath().toString();

    PipelineResult result = runWatched(watched, "", out, "--window=fixed:5m");
    try {
      awaitAnyLine(out + "/rows");
      Files.move(staging.resolve("b.jsonl"), watched.resolve("b.jsonl"));
      assertEquals(
          PipelineResult.State.DONE,
          result.waitUntilFinish(org.joda.time.Duration.millis(WATCH_TIMEOUT_MILLIS)));
    } finally {
      cancelIfRunning(result);
    }

    assertEquals(expectedRows(Kind.FIXED, 5 * MINUTE, 5 * MINUTE), actualRows(out + "/rows"));
    assertEquals(actualRows(run("--window=fixed:5m").get(0)), actualRows(out + "/rows"));
    // Only the malformed lines: no event of either file is a late dead letter.
    assertDeadLetters(out + "/dead");
  }

  @Test
  public void watchedFolder_eventOlderThanTheDisorderInALaterFile_isALateDeadLetter()
      throws Exception {
    Path watched = TMP.newFolder().toPath();
    Path staging = TMP.newFolder().toPath();
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      first.add(event("w-" + i, T0 + i * 30_000L));
    }
    Files.write(watched.resolve("a.jsonl"), first, StandardCharsets.UTF_8);
    // Newest event so far: T0 + 9m30s; the watermark is 30 s (maxDisorder) behind it.
    String late = event("old", T0 + MINUTE);
    String onTime = event("in-time", T0 + 9 * MINUTE + 10_000);
    Files.write(staging.resolve("b.jsonl"), List.of(late, onTime), StandardCharsets.UTF_8);
    String out = TMP.newFolder().toPath().toString();

    PipelineResult result = runWatched(watched, "&maxDisorder=30s", out, "--window=fixed:1m");
    try {
      awaitAnyLine(out + "/rows");
      Files.move(staging.resolve("b.jsonl"), watched.resolve("b.jsonl"));
      assertEquals(
          PipelineResult.State.DONE,
          result.waitUntilFinish(org.joda.time.Duration.millis(WATCH_TIMEOUT_MILLIS)));
    } finally {
      cancelIfRunning(result);
    }

    long counted = 0;
    for (String line : readLines(out + "/rows")) {
      JsonNode row = JSON.readTree(line);
      if (row.get("final").asBoolean()) {
        counted += row.get("count").asLong();
      }
    }
    List<String> dead = readLines(out + "/dead");
    assertEquals(dead.toString(), 1, dead.size());
    JsonNode letter = JSON.readTree(dead.get(0));
    assertEquals("late", letter.get("stage").asText());
    assertEquals(late, letter.get("payload").asText());
    // Nothing lost silently: every other event is counted.
    assertEquals(21, counted);
  }

  private static String event(String id, long ts) {
    return "{\"id\":\""
        + id
        + "\",\"key\":\"k\",\"ts\":\""
        + Instant.ofEpochMilli(ts)
        + "\",\"value\":1}";
  }

  /**
   * Runs rollup over a watched folder, with more source {@code parameters} ({@code &name=value}),
   * ending 10 s after its last new file (time enough for the test to see rows of the first file and
   * add the next); does not wait for it.
   */
  private static PipelineResult runWatched(
      Path watched, String parameters, String out, String... flags) {
    List<String> args = new ArrayList<>(List.of(flags));
    String query = "?watch=200ms&stopAfter=10s" + parameters;
    args.addAll(
        List.of(
            "--runner=DirectRunner",
            "--blockOnRun=false",
            "--source=file://" + watched + query,
            "--sink=file://" + out + "/rows",
            "--deadLetter=file://" + out + "/dead",
            "--dedupTtl=10m"));
    RollupOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(RollupOptions.class);
    return RollupPipeline.create(options).run();
  }

  private static void awaitAnyLine(String dir) throws Exception {
    long deadline = System.currentTimeMillis() + WATCH_TIMEOUT_MILLIS;
    while (!Files.isDirectory(Path.of(dir)) || readLines(dir).isEmpty()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("no row written to " + dir + " from the first file");
      }
      Thread.sleep(100);
    }
  }

  private static void cancelIfRunning(PipelineResult result) throws IOException {
    if (!result.getState().isTerminal()) {
      result.cancel();
    }
  }

  /** A line's event time in epoch ms, or 0 when it has none (malformed lines). */
  private static long timeOrZero(String line) {
    try {
      JsonNode ts = JSON.readTree(line).get("ts");
      if (ts == null) {
        return 0;
      }
      return ts.isNumber()
          ? ts.asLong()
          : java.time.OffsetDateTime.parse(ts.asText()).toInstant().toEpochMilli();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
