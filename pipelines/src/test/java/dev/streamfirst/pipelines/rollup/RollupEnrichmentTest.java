package dev.streamfirst.pipelines.rollup;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.testing.EventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Rollup with {@code --reference}: each row carries the record of its key. */
public class RollupEnrichmentTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  public void rowsCarryTheirKeysReferenceRecord() throws IOException {
    Path in = tmp.newFolder("in").toPath();
    Files.write(
        in.resolve("events.jsonl"),
        List.of(
            EventJson.event("e-1", "sensor-1", T0, 1).toJson(),
            EventJson.event("e-2", "sensor-1", T0.plus(1_000), 2).toJson(),
            EventJson.event("e-3", "sensor-2", T0.plus(2_000), 5).toJson()),
        StandardCharsets.UTF_8);
    Path sites = tmp.newFile("sites.jsonl").toPath();
    Files.write(
        sites,
        List.of("{\"sensor\":\"sensor-1\",\"site\":\"north\",\"floor\":3}"),
        StandardCharsets.UTF_8);
    Path out = tmp.newFolder("out").toPath();

    RollupOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--source=file://" + in,
                "--sink=file://" + out + "/rows",
                "--deadLetter=file://" + out + "/dead",
                "--reference=file://" + sites + "?key=sensor",
                "--referenceField=site_info")
            .withValidation()
            .as(RollupOptions.class);
    assertEquals(PipelineResult.State.DONE, RollupPipeline.create(options).run().waitUntilFinish());

    List<JsonNode> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(out.resolve("rows"))) {
      for (Path file : files.collect(Collectors.toList())) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          rows.add(JSON.readTree(line));
        }
      }
    }
    assertEquals(2, rows.size());
    for (JsonNode row : rows) {
      if (row.get("key").asText().equals("sensor-1")) {
        assertEquals(2, row.get("count").asInt());
        assertEquals("north", row.get("site_info").get("site").asText());
        assertEquals(3, row.get("site_info").get("floor").asInt());
      } else {
        assertEquals(1, row.get("count").asInt());
        assertTrue(row.get("site_info").isNull());
      }
    }
  }
}
