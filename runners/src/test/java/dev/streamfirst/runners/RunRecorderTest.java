package dev.streamfirst.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.pipelines.PipelineCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RunRecorderTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void endWithoutCounters_keepsTheLastSampledOnes_andWritesTheReport() throws Exception {
    Path out = tmp.getRoot().toPath();
    PreparedRun prepared =
        PreparedRun.of(
            PipelineCatalog.find("rollup").orElseThrow(),
            "--sink=file://" + out.resolve("rows"),
            "--deadLetter=file://" + out.resolve("dead"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    RunRecorder recorder =
        new RunRecorder(
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "rollup",
            prepared.plan(),
            Optional.of(out),
            Map.of());
    long started = System.nanoTime();
    recorder.started(started);
    recorder.sample(RunSummary.of(Map.of("events_read", 5L), Map.of(), started));
    // As a detached cluster job ends: its result reports no metrics.
    recorder.ended("DONE", RunSummary.of(Map.of(), started));
    recorder.write(Launcher.OK);

    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("DONE", summary.path("status").asText());
    assertEquals(5, summary.at("/counts/events_read").asLong());
    assertEquals(1, summary.at("/events_per_second/samples").asInt());
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Report: "));
  }

  @Test
  public void options_haveSecretsMasked_byNameAndInsideUris() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("sink", "jdbc:postgresql://db:5432/m?table=t&user=w&password=hunter2");
    options.put("deadLetter", "redis://:hunter2@cache:6379");
    options.put("kafkaSaslJaasConfig", "org.apache...required password=\"hunter2\";");
    options.put("window", "fixed:1m");

    Map<String, String> masked = RunRecorder.masked(options);

    assertEquals("jdbc:postgresql://db:5432/m?table=t&user=w&password=*****", masked.get("sink"));
    assertEquals("redis://*****@cache:6379", masked.get("deadLetter"));
    assertEquals("*****", masked.get("kafkaSaslJaasConfig"));
    assertEquals("fixed:1m", masked.get("window"));
  }
}
