package dev.streamfirst.testing.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Reads captured output lines back as JSON for the checks; a line that is not JSON fails them. */
final class JsonLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {}

  static List<JsonNode> parse(Iterable<String> lines, String what) {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : lines) {
      try {
        nodes.add(JSON.readTree(line));
      } catch (JsonProcessingException e) {
        throw new AssertionError(what + ": a captured line is not JSON: " + line, e);
      }
    }
    return nodes;
  }

  /** Lines sorted, so a failure message lists them in a stable order. */
  static String describe(Iterable<String> lines) {
    List<String> sorted = new ArrayList<>();
    lines.forEach(sorted::add);
    sorted.sort(null);
    return sorted.isEmpty() ? "nothing" : String.join("\n    ", sorted);
  }
}
