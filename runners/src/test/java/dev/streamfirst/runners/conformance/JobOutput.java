package dev.streamfirst.runners.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a pipeline wrote to its file sinks, in a form two runners can be compared by: every row line
 * exactly as written, and every dead letter's payload, error and stage; sorted, because neither the
 * order of lines nor their split into files is part of the result. The dead letters' {@code
 * timestamp} is left out: it is when a worker refused the input, not part of the answer.
 */
public record JobOutput(List<String> rows, List<String> deadLetters) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads {@code rowsDir} and {@code deadLettersDir}, each a file sink's directory. */
  public static JobOutput read(Path rowsDir, Path deadLettersDir) {
    List<String> deadLetters = new ArrayList<>();
    for (String line : lines(deadLettersDir)) {
      try {
        JsonNode letter = JSON.readTree(line);
        deadLetters.add(
            JSON.createArrayNode()
                .add(letter.path("payload").asText())
                .add(letter.path("error").asText())
                .add(letter.path("stage").asText())
                .toString());
      } catch (IOException e) {
        throw new UncheckedIOException("a dead letter that is not JSON: " + line, e);
      }
    }
    Collections.sort(deadLetters);
    return new JobOutput(lines(rowsDir), List.copyOf(deadLetters));
  }

  /** This output and {@code more}, as if one job had written both. */
  public JobOutput plus(JobOutput more) {
    List<String> allRows = new ArrayList<>(rows);
    allRows.addAll(more.rows);
    List<String> allLetters = new ArrayList<>(deadLetters);
    allLetters.addAll(more.deadLetters);
    Collections.sort(allRows);
    Collections.sort(allLetters);
    return new JobOutput(List.copyOf(allRows), List.copyOf(allLetters));
  }

  /** Lines of the sink's finished files ({@code part-*}); a missing directory has none. */
  static List<String> lines(Path dir) {
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return lines;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
        Files.readAllLines(file, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isEmpty())
            .forEach(lines::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the output in " + dir, e);
    }
    Collections.sort(lines);
    return List.copyOf(lines);
  }
}
