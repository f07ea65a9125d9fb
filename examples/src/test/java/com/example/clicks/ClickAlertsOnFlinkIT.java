package com.example.clicks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfirst.testing.flink.FlinkTestCluster;
import dev.streamfirst.testing.kit.servers.SharedServersExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled jar run as the README says, once on the DirectRunner and once on a real Flink session
 * cluster: both write the same sessions, alerts and dead letters.
 */
@ExtendWith(SharedServersExtension.class)
class ClickAlertsOnFlinkIT {
  /** A few hundred clicks of 20 users, a second apart: sessions of every length, some busy. */
  private static final String CLICKS =
      "generator://events?count=400&keys=20&interval=1s&duplicates=0.05&malformed=0.02";

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;

  @Test
  void onTheFlinkCluster_writesWhatTheDirectRunnerWrites(FlinkTestCluster flink) throws Exception {
    String jar = System.getProperty("bundledJar");
    Path direct = out.resolve("direct");
    Path onFlink = out.resolve("flink");

    run(jar, direct, "--runner=DirectRunner");
    run(
        jar,
        onFlink,
        "--runner=FlinkRunner",
        "--flinkMaster=" + flink.master(),
        "--parallelism=" + flink.slots(),
        "--filesToStage=" + jar);

    List<String> sessions = lines(direct.resolve("sessions"));
    List<String> alerts = lines(direct.resolve("alerts"));
    List<String> deadLetters = withoutRun(lines(direct.resolve("dead")));
    assertTrue(sessions.size() > 20, "sessions: " + sessions.size());
    assertFalse(alerts.isEmpty(), "no busy session raised an alert");
    assertFalse(deadLetters.isEmpty(), "the malformed clicks were not dead-lettered");
    assertEquals(sessions, lines(onFlink.resolve("sessions")), "sessions");
    assertEquals(alerts, lines(onFlink.resolve("alerts")), "alerts");
    assertEquals(deadLetters, withoutRun(lines(onFlink.resolve("dead"))), "dead letters");
  }

  /** {@code java -jar <bundled jar> <flags>}, as the README runs it. */
  private static void run(String jar, Path dir, String... runnerFlags) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-jar", jar));
    command.addAll(
        List.of(
            "--source=" + CLICKS,
            "--sessionGap=30s",
            "--alertAfterClicks=5",
            "--sink=" + dir.resolve("sessions").toUri(),
            "--alertSink=" + dir.resolve("alerts").toUri(),
            "--deadLetter=" + dir.resolve("dead").toUri()));
    command.addAll(List.of(runnerFlags));
    Path log = Files.createDirectories(dir).resolve("run.log");
    long begun = System.nanoTime();
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = process.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly();
    }
    System.out.printf(
        "%s: %d ms%n", runnerFlags[0], TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
    assertTrue(
        ended && process.exitValue() == 0,
        String.join(" ", command) + (ended ? " failed" : " timed out") + ":\n" + tail(log));
  }

  /** Every line of every file the sink wrote under {@code dir}, sorted. */
  private static List<String> lines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (!file.getFileName().toString().startsWith(".")) {
          lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
      }
    }
    lines.removeIf(String::isBlank);
    lines.sort(null);
    return lines;
  }

  /** A dead letter's {@code timestamp} (when it was made) and {@code jobId} differ by run. */
  private static List<String> withoutRun(List<String> deadLetters) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : deadLetters) {
      ObjectNode deadLetter = (ObjectNode) JSON.readTree(line);
      deadLetter.remove(List.of("timestamp", "jobId"));
      out.add(deadLetter.toString());
    }
    out.sort(null);
    return out;
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
