package dev.streamfirst.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

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
    assertThat(out(), containsString("Running rollup on DirectRunner"));
    assertThat(
        out(),
        containsString(
            "5 events read, 4 valid, 1 duplicates dropped, 1 dead letters, 2 window rows written"));
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
