package dev.streamfirst.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class LauncherTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int launch(String... args) {
    return new Launcher(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void list_namesEveryPipelineWithOneLine() {
    assertEquals(Launcher.OK, launch("list"));
    assertThat(out(), matchesPattern("(?s)rollup\\s+per key and event-time window.*"));
  }

  @Test
  public void badWindow_failsBeforeRunning_listingTheWindowKinds() {
    assertEquals(Launcher.USAGE, launch("run", "--window=fixd:1m"));
    assertThat(err(), containsString("--window=fixd:1m: unknown window kind 'fixd'"));
    assertThat(err(), containsString("fixed:<size> (e.g. fixed:60s)"));
    assertThat(err(), containsString("sliding:<size>/<period>"));
    assertThat(err(), containsString("session:<gap>"));
    assertThat(out(), not(containsString("Running")));
    assertThat(err(), not(containsString("Running")));
  }

  @Test
  public void misspelledOption_failsNamingTheOption() {
    assertEquals(Launcher.USAGE, launch("run", "rollup", "--windw=fixed:1m"));
    assertThat(err(), containsString("windw"));
    assertThat(err(), containsString("window"));
  }

  @Test
  public void unknownPipeline_failsListingTheKnownOnes() {
    assertEquals(Launcher.USAGE, launch("run", "rolup"));
    assertThat(err(), containsString("unknown pipeline 'rolup'; available: rollup"));
  }

  @Test
  public void flinkResume_withoutPipeline_saysWhatItNeeds() {
    assertEquals(Launcher.USAGE, launch("flink", "resume", "--runner=FlinkRunner"));
    assertThat(err(), containsString("flink resume needs a pipeline and the flags it ran with"));
  }

  @Test
  public void flinkResume_fromTheStorageFlagsDirectory_withNoCheckpoint_namesTheFixBeforeRunning()
      throws IOException {
    Path storage = tmp.newFolder("checkpoints").toPath();

    assertEquals(
        Launcher.USAGE,
        launch(
            "flink",
            "resume",
            "rollup",
            "--runner=FlinkRunner",
            "--stateBackendStoragePath=" + storage.toUri()));

    assertThat(err(), containsString("--checkpointDir: no completed checkpoint under " + storage));
    assertThat(out(), not(containsString("Running")));
  }

  @Test
  public void flinkResume_refusesASavepointPathOfItsOwn() {
    assertEquals(Launcher.USAGE, launch("flink", "resume", "rollup", "--savepointPath=/tmp/chk-1"));
    assertThat(err(), containsString("finds the checkpoint itself; drop --savepointPath"));
  }

  @Test
  public void unknownCommand_printsUsage() {
    assertEquals(Launcher.USAGE, launch("walk"));
    assertThat(err(), containsString("unknown command 'walk'"));
    assertThat(err(), containsString("usage: ./streamfirst"));
  }

  @Test
  public void help_describesEveryRollupOption() {
    assertEquals(Launcher.OK, launch("run", "rollup", "--help"));
    for (String option :
        List.of(
            "--source", "--sink", "--deadLetter", "--window", "--allowedLateness", "--dedupTtl")) {
      assertThat(out(), containsString(option));
    }
  }

  @Test
  public void run_overAFile_writesRowsAndDeadLetters_andSummarises() throws IOException {
    Path input = tmp.newFile("events.jsonl").toPath();
    Files.write(
        input,
        List.of(
            "{\"id\":\"1\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:01Z\",\"value\":2}",
            "{\"id\":\"1\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:01Z\",\"value\":2}",
            "{\"id\":\"2\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:02Z\",\"value\":4}",
            "{\"id\":\"3\",\"key\":\"k\",\"ts\":\"2026-11-25T10:01:02Z\",\"value\":5}",
            "garbage"),
        StandardCharsets.UTF_8);
    Path out = tmp.newFolder("out").toPath();

    int code =
        launch(
            "run",
            "rollup",
            "--source=file://" + input,
            "--sink=file://" + out.resolve("rows"),
            "--deadLetter=file://" + out.resolve("dead"));

    assertEquals(err(), Launcher.OK, code);
    assertThat(err(), containsString("Running rollup on DirectRunner"));
    assertThat(
        err(),
        containsString(
            "5 events read, 4 valid, 1 duplicates dropped, 1 dead letters (0 of them late),"
                + " 2 rows written"));
    List<String> rows = lines(out.resolve("rows"));
    assertEquals(2, rows.size());
    assertThat(
        rows.stream().sorted().collect(Collectors.joining("\n")),
        containsString(
            "\"window_start\":\"2026-11-25T10:00:00.000Z\",\"window_end\":"
                + "\"2026-11-25T10:01:00.000Z\",\"count\":2,\"sum\":6.0"));
    List<String> dead = lines(out.resolve("dead"));
    assertEquals(1, dead.size());
    assertThat(dead.get(0), containsString("\"payload\":\"garbage\""));
    // The run report goes beside the rows' directory by default.
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("DONE", summary.path("status").asText());
    assertEquals(5, summary.at("/counts/events_read").asLong());
    assertEquals(2, summary.at("/counts/rows").asLong());
    assertEquals(1, summary.at("/dead_letters/by_reason/0/count").asLong());
    assertEquals("garbage", summary.at("/dead_letters/by_reason/0/examples/0").asText());
    assertTrue(Files.isRegularFile(out.resolve("report.html")));
    assertThat(err(), containsString("Report: " + out.resolve("report.html")));
  }

  private Path events(String name) throws IOException {
    Path input = tmp.newFile(name).toPath();
    Files.write(
        input,
        List.of(
            "{\"id\":\"1\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:01Z\",\"value\":2}", "garbage"),
        StandardCharsets.UTF_8);
    return input;
  }

  @Test
  public void secondRunIntoTheSameSink_isRefused_untilOverwriteIsGiven() throws IOException {
    Path input = events("events.jsonl");
    Path out = tmp.newFolder("out").toPath();
    String[] run = {
      "run",
      "rollup",
      "--source=file://" + input,
      "--sink=file://" + out.resolve("rows"),
      "--deadLetter=file://" + out.resolve("dead"),
      "--report=none"
    };
    assertEquals(err(), Launcher.OK, launch(run));
    assertFalse(Files.exists(out.resolve("summary.json")));
    assertThat(err(), not(containsString("Report:")));
    Files.writeString(out.resolve("rows/part-00007-of-00009.jsonl"), "{\"stale\":true}\n");
    this.err.reset();

    assertEquals(Launcher.USAGE, launch(run));
    assertThat(err(), containsString("--sink=file://" + out.resolve("rows") + ": "));
    assertThat(err(), containsString("holds an earlier run's output"));
    assertThat(err(), containsString("add --overwrite"));
    assertThat(err(), not(containsString("Running")));

    String[] again = Stream.concat(Stream.of(run), Stream.of("--overwrite")).toArray(String[]::new);
    assertEquals(err(), Launcher.OK, launch(again));
    assertEquals(
        List.of(), lines(out.resolve("rows")).stream().filter(l -> l.contains("stale")).toList());
    assertEquals(1, lines(out.resolve("rows")).size());
    assertEquals(1, lines(out.resolve("dead")).size());
  }

  @Test
  public void sourceMatchingNoFile_failsBeforeRunning_withOneLineNamingTheOption() {
    String missing = tmp.getRoot() + "/no-such-dir/*.jsonl";

    assertEquals(Launcher.USAGE, launch("run", "rollup", "--source=file://" + missing));

    assertThat(
        err(), containsString("--source=file://" + missing + ": no file matches " + missing));
    assertThat(err(), not(containsString("Running")));
    assertThat(err(), not(containsString("Exception")));
  }

  @Test
  public void sinkThatCannotBeCreated_failsBeforeRunning() throws IOException {
    Path input = events("events.jsonl");
    Path file = tmp.newFile("a-file").toPath();

    int code =
        launch(
            "run",
            "rollup",
            "--source=file://" + input,
            "--sink=file://" + tmp.newFolder("rows"),
            "--deadLetter=file://" + file.resolve("dead"));

    assertEquals(Launcher.USAGE, code);
    assertThat(err(), containsString("--deadLetter=file://" + file.resolve("dead") + ": "));
    assertThat(err(), containsString("is a file, not a directory"));
    assertThat(err(), not(containsString("Running")));
  }

  @Test
  public void emptyInputFile_isWarnedAbout() throws IOException {
    Path input = tmp.newFile("empty.jsonl").toPath();
    Path out = tmp.newFolder("out").toPath();

    int code =
        launch(
            "run",
            "rollup",
            "--source=file://" + input,
            "--sink=file://" + out.resolve("rows"),
            "--deadLetter=file://" + out.resolve("dead"));

    assertEquals(err(), Launcher.OK, code);
    assertThat(err(), containsString("warning: --source=file://" + input + ": the file"));
    assertThat(err(), containsString("is empty: this run reads no events"));
  }

  @Test
  public void consoleSinks_printOnlyJsonOnStdout_deadLettersMarked() throws IOException {
    Path input = events("events.jsonl");
    PrintStream original = System.out;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          launch(
              "run",
              "rollup",
              "--source=file://" + input,
              "--sink=console:",
              "--deadLetter=console:",
              "--report=" + tmp.getRoot().toPath().resolve("report"));
    } finally {
      System.setOut(original);
    }

    assertEquals(err(), Launcher.OK, code);
    assertEquals("", out());
    List<String> printed = List.of(stdout.toString(StandardCharsets.UTF_8).split("\\R"));
    assertEquals(2, printed.size());
    for (String line : printed) {
      assertThat(line, matchesPattern("\\{.*\\}"));
    }
    assertEquals(
        1, printed.stream().filter(l -> l.startsWith("{\"dead_letter\":true,\"payload\"")).count());
    assertEquals(1, printed.stream().filter(l -> l.startsWith("{\"key\":\"k\"")).count());
    assertThat(err(), containsString("Running rollup"));
    assertThat(err(), containsString("Done in"));
    // Not file sinks: counts and charts from the counters, no keys or examples to read back.
    JsonNode summary =
        new ObjectMapper().readTree(tmp.getRoot().toPath().resolve("report/summary.json").toFile());
    assertEquals(1, summary.at("/counts/rows").asLong());
    assertEquals(1, summary.at("/rows_per_window/windows/0/rows").asLong());
    assertEquals(false, summary.at("/top_keys/read_from_files").asBoolean());
    assertEquals(1, summary.at("/dead_letters/by_stage/parse").asLong());
  }

  @Test
  public void enumOption_isTakenInAnyCase_andABadValueListsTheChoices() throws IOException {
    assertEquals(Launcher.USAGE, launch("run", "rollup", "--panes=discarding", "--window=fixd:1m"));
    // The case of --panes is fine: only the window is reported.
    assertThat(err(), containsString("--window=fixd:1m"));
    assertThat(err(), not(containsString("panes")));
    this.err.reset();

    assertEquals(Launcher.USAGE, launch("run", "rollup", "--panes=discard"));
    assertThat(
        err(),
        containsString(
            "--panes=discard: must be one of ACCUMULATING, DISCARDING (in any case), e.g."
                + " --panes=ACCUMULATING"));
    assertThat(err(), not(containsString("Jackson")));
    assertThat(err(), not(containsString("deserialize")));
  }

  @Test
  public void flagGivenTwice_isRefusedNamingBoth() {
    assertEquals(Launcher.USAGE, launch("run", "rollup", "--window=fixed:1m", "--window=fixed:2m"));
    assertThat(
        err(),
        containsString(
            "--window is given 2 times (--window=fixed:1m, --window=fixed:2m); give it once"));
    assertThat(err(), not(containsString("expected one element")));
  }

  @Test
  public void misspelledOption_suggestsTheOption_withoutJavaClassNames() {
    assertEquals(Launcher.USAGE, launch("run", "rollup", "--windw=fixed:1m"));
    assertThat(err(), containsString("--windw: unknown option; did you mean --window?"));
    assertThat(err(), not(containsString("interface")));
    assertThat(err(), not(containsString("dev.streamfirst")));
  }

  @Test
  public void stop_isNotAnError_reportsWhatTheFilesHold_andLeavesNoTemporaryFiles()
      throws Exception {
    Path out = tmp.newFolder("out").toPath();
    Path rows = out.resolve("rows");
    Launcher launcher =
        new Launcher(
            new PrintStream(this.out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    Thread user =
        new Thread(
            () -> {
              long deadline = System.currentTimeMillis() + 120_000;
              try {
                while (System.currentTimeMillis() < deadline && !holdsRows(rows)) {
                  Thread.sleep(200);
                }
                while (!launcher.requestStop() && System.currentTimeMillis() < deadline) {
                  Thread.sleep(100);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    user.start();

    int code =
        launcher.run(
            new String[] {
              "run",
              "rollup",
              "--source=generator://events?rate=200",
              "--window=fixed:1s",
              "--sink=file://" + rows,
              "--deadLetter=file://" + out.resolve("dead")
            });
    user.join();

    assertEquals(err(), Launcher.OK, code);
    assertThat(err(), not(containsString("error")));
    assertThat(err(), containsString("Stopped in"));
    long lines = lines(rows).size();
    assertThat(
        err(),
        matchesPattern(
            "(?s).*--sink: "
                + String.format("%,d", lines)
                + " lines in \\d+ files? under "
                + rows
                + "\n.*"));
    try (Stream<Path> left = Files.list(rows)) {
      assertEquals(
          List.of(),
          left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList());
    }
  }

  private static boolean holdsRows(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("part-"));
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  public void help_isGroupedByWhatUsersDo_withoutJavaNames() {
    assertEquals(Launcher.OK, launch("run", "rollup", "--help"));

    String help = out();
    for (String heading :
        List.of(
            "\nInput\n", "\nOutput\n", "\nWindowing\n", "\nDedup\n", "\nRunner: DirectRunner\n")) {
      assertThat(help, containsString(heading));
    }
    assertThat(help, containsString("--panes=ACCUMULATING|DISCARDING   (default: ACCUMULATING)"));
    assertThat(help, containsString("--overwrite=true|false"));
    assertThat(help, containsString("--runner=FlinkRunner or --runner=DataflowRunner"));
    assertThat(help, not(containsString("dev.streamfirst")));
    assertThat(help, not(containsString("org.apache")));
    assertThat(help, not(containsString("--flinkMaster")));
    assertThat(help.lines().count(), org.hamcrest.Matchers.lessThan(160L));
  }

  @Test
  public void help_showsTheChosenRunnersOwnOptions() {
    assertEquals(Launcher.OK, launch("run", "rollup", "--runner=FlinkRunner", "--help"));

    assertThat(out(), containsString("\nRunner: FlinkRunner\n"));
    assertThat(out(), containsString("--flinkMaster=<text>"));
    assertThat(out(), containsString("--networkBufferTimeoutMs=<number>"));
  }

  @Test
  public void unreachableKafkaBroker_failsInSecondsWithOneLine() throws IOException {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    long started = System.nanoTime();

    int code = launch("run", "rollup", "--source=kafka://localhost:" + port + "/events");

    assertEquals(Launcher.USAGE, code);
    assertThat((System.nanoTime() - started) / 1_000_000_000L, org.hamcrest.Matchers.lessThan(20L));
    assertThat(
        err(),
        containsString(
            "--source=kafka://localhost:"
                + port
                + "/events: no Kafka broker answered at localhost:"
                + port));
    assertThat(err(), not(containsString("Exception")));
    assertThat(err(), not(containsString("Running")));
  }

  private static List<String> lines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        if (!f.getFileName().toString().startsWith(".")) {
          lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
      }
    }
    return lines;
  }
}
