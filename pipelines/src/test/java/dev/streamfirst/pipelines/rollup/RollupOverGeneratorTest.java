package dev.streamfirst.pipelines.rollup;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.io.generator.EventGenerator;
import dev.streamfirst.io.generator.GeneratorSpec;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Input;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Rollup over the embedded generator (the default source): the rows must equal the answer computed
 * from the generator's own messages, read back with a parser of the test's own.
 */
public class RollupOverGeneratorTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE =
      "generator://events?count=3000&keys=7&duplicates=0.1&malformed=0.02&disorder=5s&seed=9";

  @Test
  public void generatedInput_rowsMatchIndependentAnswer_malformedAreDeadLetters()
      throws IOException {
    EventGenerator generator = new EventGenerator(GeneratorSpec.parse(SOURCE));
    List<Input> valid = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (String payload : generator.payloads()) {
      Input event = readOrNull(payload);
      if (event == null) {
        invalid.add(payload);
      } else {
        valid.add(event);
      }
    }
    // The generator's knobs really did produce copies and malformed messages.
    assertTrue(generator.payloads().size() > 3000);
    assertTrue(invalid.size() > 20);

    Path out = tmp.newFolder().toPath();
    RollupOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--source=" + SOURCE,
                "--window=fixed:10s",
                "--dedupTtl=1m",
                "--sink=file://" + out.resolve("rows"),
                "--deadLetter=file://" + out.resolve("dead"))
            .withValidation()
            .as(RollupOptions.class);
    assertEquals(PipelineResult.State.DONE, RollupPipeline.create(options).run().waitUntilFinish());

    List<String> expected =
        ReferenceRollup.rollup(valid, Kind.FIXED, 10_000, 10_000, 60_000).stream()
            .map(ReferenceRollup::format)
            .sorted()
            .collect(Collectors.toList());
    List<String> actual = new ArrayList<>();
    for (String line : lines(out.resolve("rows"))) {
      JsonNode row = JSON.readTree(line);
      actual.add(
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
    Collections.sort(actual);
    assertEquals(expected, actual);

    List<String> deadPayloads = new ArrayList<>();
    for (String line : lines(out.resolve("dead"))) {
      deadPayloads.add(JSON.readTree(line).get("payload").asText());
    }
    Collections.sort(deadPayloads);
    Collections.sort(invalid);
    assertEquals(invalid, deadPayloads);
  }

  /** The canonical event, read the test's own way; null for anything that is not one. */
  private static Input readOrNull(String payload) {
    try {
      JsonNode node = JSON.readTree(payload);
      if (node == null || !node.isObject()) {
        return null;
      }
      JsonNode id = node.get("id");
      JsonNode key = node.get("key");
      JsonNode ts = node.get("ts");
      JsonNode value = node.get("value");
      if (id == null || !id.isTextual() || id.asText().isEmpty()) {
        return null;
      }
      if (key == null || !key.isTextual() || key.asText().isEmpty()) {
        return null;
      }
      if (ts == null || !ts.isTextual() || value == null || !value.isNumber()) {
        return null;
      }
      return new Input(
          id.asText(), key.asText(), Instant.parse(ts.asText()).toEpochMilli(), value.asDouble());
    } catch (IOException | RuntimeException e) {
      return null;
    }
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
