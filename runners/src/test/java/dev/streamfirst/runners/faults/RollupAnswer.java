package dev.streamfirst.runners.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rows a fixed-window rollup must write for the events a test produced, computed here without
 * Beam: per key and window (aligned to the epoch), the count and sum of the events, each id once.
 * {@link #compare} matches the rows read back against it and counts what is lost (a window with no
 * row, or a row with the wrong figures) and duplicated (a window with more than one row).
 */
final class RollupAnswer {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Count and sum of one key's window. */
  record Figures(long count, double sum) {}

  /** What the rows read back hold against the answer. */
  record Comparison(
      int expected, int got, int lost, int duplicated, int unexpected, List<String> problems) {
    boolean exact() {
      return lost == 0 && duplicated == 0 && unexpected == 0 && got == expected;
    }
  }

  private final Map<String, Figures> windows;
  private final long eventsIn;

  private RollupAnswer(Map<String, Figures> windows, long eventsIn) {
    this.windows = windows;
    this.eventsIn = eventsIn;
  }

  static RollupAnswer of(List<LiveEvents.Event> events, long windowMillis) {
    Map<String, Figures> windows = new TreeMap<>();
    Set<String> ids = new HashSet<>();
    for (LiveEvents.Event e : events) {
      if (!ids.add(e.id())) {
        continue;
      }
      long start = Math.floorDiv(e.ts(), windowMillis) * windowMillis;
      windows.merge(
          e.key() + "@" + Instant.ofEpochMilli(start),
          new Figures(1, e.value()),
          (a, b) -> new Figures(a.count() + b.count(), a.sum() + b.sum()));
    }
    return new RollupAnswer(windows, ids.size());
  }

  int rows() {
    return windows.size();
  }

  long eventsIn() {
    return eventsIn;
  }

  Comparison compare(List<String> rows) {
    Map<String, List<Figures>> got = new HashMap<>();
    for (String row : rows) {
      JsonNode r = read(row);
      String window = r.path("key").asText() + "@" + Instant.parse(r.path("window_start").asText());
      got.computeIfAbsent(window, w -> new ArrayList<>())
          .add(new Figures(r.path("count").asLong(), r.path("sum").asDouble()));
    }
    int lost = 0;
    int duplicated = 0;
    int unexpected = 0;
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Figures> want : windows.entrySet()) {
      List<Figures> found = got.getOrDefault(want.getKey(), List.of());
      if (found.isEmpty()) {
        lost++;
        problems.add("no row for " + want.getKey() + ", expected " + want.getValue());
        continue;
      }
      if (!found.get(0).equals(want.getValue())) {
        lost++;
        problems.add(
            "row for " + want.getKey() + " has " + found + ", expected " + want.getValue());
      }
      if (found.size() > 1) {
        duplicated += found.size() - 1;
        problems.add(found.size() + " rows for " + want.getKey() + ": " + found);
      }
    }
    for (Map.Entry<String, List<Figures>> extra : got.entrySet()) {
      if (!windows.containsKey(extra.getKey())) {
        unexpected += extra.getValue().size();
        problems.add("row for a window with no input: " + extra.getKey() + " " + extra.getValue());
      }
    }
    return new Comparison(windows.size(), rows.size(), lost, duplicated, unexpected, problems);
  }

  private static JsonNode read(String row) {
    try {
      return JSON.readTree(row);
    } catch (IOException e) {
      throw new UncheckedIOException("a row that is not JSON: " + row, e);
    }
  }
}
