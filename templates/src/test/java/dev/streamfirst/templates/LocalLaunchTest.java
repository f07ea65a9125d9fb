package dev.streamfirst.templates;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A template launched locally from the --parameters string a user would give gcloud, with the
 * values that trip users up: commas, '=', spaces and quotes.
 */
public class LocalLaunchTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  public void trickyParameterValues_reachThePipelineIntact_andItRuns() throws IOException {
    // A folder with a space and a comma in its name, and a key field whose name has a space,
    // quotes, a comma and an equals sign.
    Path in = Files.createDirectories(tmp.getRoot().toPath().resolve("in put, 2026"));
    String keyField = "site \"name\", v=1";
    Files.write(
        in.resolve("events.jsonl"),
        List.of(
            event("a", "north, \"A\"", "2026-11-25T10:00:05Z", 2),
            event("b", "north, \"A\"", "2026-11-25T10:00:07Z", 4),
            event("b", "north, \"A\"", "2026-11-25T10:00:07Z", 4),
            "not an event"),
        StandardCharsets.UTF_8);
    Path out = tmp.newFolder("out").toPath();

    String parameters =
        "^~^source=file://"
            + in
            + "~sink=file://"
            + out.resolve("rows")
            + "~deadLetter=file://"
            + out.resolve("dead")
            + "~keyField="
            + keyField
            + "~window=fixed:1m~dedupTtl=10m";
    PipelineResult.State state = LocalLaunch.run("rollup", "--parameters=" + parameters);

    assertEquals(PipelineResult.State.DONE, state);
    List<String> rows = lines(out.resolve("rows"));
    assertEquals(1, rows.size());
    JsonNode row = JSON.readTree(rows.get(0));
    assertEquals("north, \"A\"", row.get("key").asText());
    assertEquals(2, row.get("count").asLong());
    assertEquals(6.0, row.get("sum").asDouble(), 0);
    List<String> dead = lines(out.resolve("dead"));
    assertEquals(1, dead.size());
    assertEquals("not an event", JSON.readTree(dead.get(0)).get("payload").asText());
  }

  @Test
  public void badParameter_isRefusedNamingTheOption() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LocalLaunch.run(
                    "rollup", "--parameters=window=fixd:1m,sink=console:,deadLetter=console:"));
    assertThat(e.getMessage(), containsString("--window=fixd:1m"));
  }

  @Test
  public void unknownPipeline_isRefusedListingTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LocalLaunch.run("rolup", "--parameters="));
    assertThat(e.getMessage(), containsString("rollup"));
  }

  private static String event(String id, String key, String ts, double value) {
    return JSON.createObjectNode()
        .put("id", id)
        .put("site \"name\", v=1", key)
        .put("ts", ts)
        .put("value", value)
        .toString();
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
