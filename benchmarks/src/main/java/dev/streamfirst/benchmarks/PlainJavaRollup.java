package dev.streamfirst.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollup as one plain, single-threaded Java loop: read, parse, dedup, aggregate. No framework,
 * no fault tolerance, no parallelism — the limit of one core of this machine.
 */
final class PlainJavaRollup implements Variant {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "plain Java loop";
  }

  @Override
  public List<AggregateRow> run(Path input, Path work) throws Exception {
    Map<String, Long> seen = new HashMap<>();
    Map<String, Map<Long, double[]>> windows = new HashMap<>();
    try (BufferedReader lines = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event;
        try {
          event = JSON.readTree(line);
        } catch (Exception e) {
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
        double value = event.get("value").doubleValue();
        double[] a =
            windows
                .computeIfAbsent(event.get("key").textValue(), k -> new HashMap<>())
                .computeIfAbsent(
                    RollupLogic.windowStart(ts),
                    w -> new double[] {0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
        a[0]++;
        a[1] += value;
        a[2] = Math.min(a[2], value);
        a[3] = Math.max(a[3], value);
      }
    }
    List<AggregateRow> rows = new ArrayList<>();
    windows.forEach(
        (key, byWindow) ->
            byWindow.forEach(
                (start, a) ->
                    rows.add(new AggregateRow(key, start, (long) a[0], a[1], a[2], a[3]))));
    return rows;
  }

  private static boolean valid(JsonNode e) {
    if (e == null || !e.isObject()) {
      return false;
    }
    JsonNode id = e.get("id");
    JsonNode key = e.get("key");
    JsonNode ts = e.get("ts");
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
      timestamp(ts);
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
