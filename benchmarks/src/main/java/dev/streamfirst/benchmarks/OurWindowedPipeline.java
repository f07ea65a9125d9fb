package dev.streamfirst.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.pipelines.sensors.SensorsOptions;
import dev.streamfirst.pipelines.sensors.SensorsPipeline;
import dev.streamfirst.pipelines.sessions.SessionsOptions;
import dev.streamfirst.pipelines.sessions.SessionsPipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Streamfirst's sessions or sensors pipeline, exactly as users run it, over a file. The sensors
 * pipeline also runs its threshold and missing-data alerts, which the other variants do not.
 */
final class OurWindowedPipeline implements WindowedVariant {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WindowedLogic logic;
  private final BeamRunners runner;
  private final long gapMillis;

  OurWindowedPipeline(WindowedLogic logic, BeamRunners runner, long gapMillis) {
    this.logic = logic;
    this.runner = runner;
    this.gapMillis = gapMillis;
  }

  @Override
  public String name() {
    return "Streamfirst " + logic.label() + ", " + runner.label();
  }

  @Override
  public List<WindowRow> run(Path input, Path work) throws Exception {
    List<String> flags = new ArrayList<>(runner.flags());
    flags.add("--source=file://" + input);
    flags.add("--sink=file://" + work.resolve("rows"));
    flags.add("--deadLetter=file://" + work.resolve("dead"));
    flags.add("--dedupTtl=" + RollupLogic.DEDUP_TTL_MILLIS + "ms");
    String[] args = flags.toArray(new String[0]);
    Pipeline pipeline =
        switch (logic) {
          case SESSIONS -> {
            SessionsOptions options =
                PipelineOptionsFactory.fromArgs(args).withValidation().as(SessionsOptions.class);
            options.setSessionGap(gapMillis + "ms");
            yield SessionsPipeline.create(options);
          }
          case SENSORS -> {
            SensorsOptions options =
                PipelineOptionsFactory.fromArgs(args).withValidation().as(SensorsOptions.class);
            options.setWindow(
                "sliding:"
                    + WindowedLogic.SENSORS_WINDOW_MILLIS
                    + "ms/"
                    + WindowedLogic.SENSORS_PERIOD_MILLIS
                    + "ms");
            options.setAlertSink("file://" + work.resolve("alerts"));
            yield SensorsPipeline.create(options);
          }
        };
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(name() + " ended " + state);
    }
    return read(work.resolve("rows"));
  }

  private List<WindowRow> read(Path dir) throws IOException {
    List<WindowRow> rows = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> all = Files.walk(dir)) {
      files =
          all.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().startsWith("."))
              .toList();
    }
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        JsonNode row = JSON.readTree(line);
        String key = row.get("key").asText();
        long start = millis(row.get("window_start"));
        long end = millis(row.get("window_end"));
        rows.add(
            switch (logic) {
              case SESSIONS ->
                  WindowRow.session(
                      key,
                      start,
                      end,
                      row.get("events").asLong(),
                      millis(row.get("first_event")),
                      millis(row.get("last_event")));
              case SENSORS ->
                  new WindowRow(
                      key,
                      start,
                      end,
                      row.get("count").asLong(),
                      row.get("sum").asDouble(),
                      row.get("min").asDouble(),
                      row.get("max").asDouble(),
                      row.get("distinct").asLong());
            });
      }
    }
    return rows;
  }

  private static long millis(JsonNode text) {
    return Instant.parse(text.asText()).toEpochMilli();
  }
}
