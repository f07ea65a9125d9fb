package dev.streamfirst.pipelines;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Input;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Writing pipeline inputs and reading pipeline outputs, for whole-pipeline tests over files. */
public final class PipelineFiles {
  private PipelineFiles() {}

  /** The event as one JSON line, its time as ISO-8601 in UTC. */
  public static String line(Input e) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", e.id());
    node.put("key", e.key());
    node.put("ts", java.time.Instant.ofEpochMilli(e.ts()).toString());
    node.put("value", e.value());
    return node.toString();
  }

  /** Writes the lines into two files under {@code dir}, so sources read a directory. */
  public static Path write(Path dir, List<String> lines) throws IOException {
    Files.createDirectories(dir);
    int half = lines.size() / 2;
    Files.write(dir.resolve("a.jsonl"), lines.subList(0, half), StandardCharsets.UTF_8);
    Files.write(dir.resolve("b.jsonl"), lines.subList(half, lines.size()), StandardCharsets.UTF_8);
    return dir;
  }

  /** Every line of every file under {@code dir}; none if it does not exist. */
  public static List<String> read(String dir) throws IOException {
    Path root = Path.of(dir);
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      List<String> lines = new ArrayList<>();
      for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
      return lines;
    }
  }
}
