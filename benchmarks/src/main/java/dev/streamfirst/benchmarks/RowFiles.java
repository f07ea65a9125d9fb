package dev.streamfirst.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads result rows that a pipeline wrote as JSON lines under a folder. */
final class RowFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RowFiles() {}

  static List<AggregateRow> read(Path dir) throws IOException {
    List<AggregateRow> rows = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> all = Files.walk(dir)) {
      files =
          all.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().startsWith("."))
              .collect(Collectors.toList());
    }
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        JsonNode row = JSON.readTree(line);
        rows.add(
            new AggregateRow(
                row.get("key").asText(),
                Instant.parse(row.get("window_start").asText()).toEpochMilli(),
                row.get("count").asLong(),
                row.get("sum").asDouble(),
                row.get("min").asDouble(),
                row.get("max").asDouble()));
      }
    }
    return rows;
  }
}
