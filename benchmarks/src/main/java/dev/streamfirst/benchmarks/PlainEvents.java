package dev.streamfirst.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The valid, deduplicated events of a file, read by a plain loop with the same checks and the same
 * dedup rule as {@link PlainJavaRollup}: the front every reference answer starts from.
 */
final class PlainEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the windowed logic needs of an event. */
  record Event(String key, long ts, double value) {}

  private PlainEvents() {}

  static List<Event> read(Path input) throws IOException {
    Map<String, Long> seen = new HashMap<>();
    List<Event> events = new ArrayList<>();
    try (BufferedReader lines = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event;
        try {
          event = JSON.readTree(line);
        } catch (IOException e) {
          continue;
        }
        if (!valid(event)) {
          continue;
        }
        long ts = timestamp(event.get("ts"));
        String id = event.get("id").textValue();
        Long anchor = seen.get(id);
        if (anchor != null && Math.abs(ts - anchor) < RollupLogic.DEDUP_TTL_MILLIS) {
          continue;
        }
        seen.put(id, anchor == null ? ts : Math.max(ts, anchor));
        events.add(new Event(event.get("key").textValue(), ts, event.get("value").doubleValue()));
      }
    }
    return events;
  }

  private static boolean valid(JsonNode e) {
    if (e == null || !e.isObject()) {
      return false;
    }
    JsonNode id = e.get("id");
    JsonNode key = e.get("key");
    JsonNode value = e.get("value");
    if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
      return false;
    }
    if (key == null || !key.isTextual() || key.textValue().isEmpty()) {
      return false;
    }
    if (value == null || !value.isNumber() || !Double.isFinite(value.doubleValue())) {
      return false;
    }
    try {
      timestamp(e.get("ts"));
      return true;
    } catch (RuntimeException bad) {
      return false;
    }
  }

  private static long timestamp(JsonNode ts) {
    if (ts != null && ts.isIntegralNumber()) {
      return ts.longValue();
    }
    if (ts != null && ts.isTextual()) {
      return OffsetDateTime.parse(ts.textValue()).toInstant().toEpochMilli();
    }
    throw new IllegalArgumentException("no event time");
  }
}
