package dev.streamfirst.runners.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a run's {@code file://} outputs hold, read once it ended: the keys with the most events
 * (from the rows' {@code count}, the last pane of each key and window) and the dead letters by
 * reason with a few examples. Reading stops after {@link #MAX_LINES} lines per output, so a huge
 * output costs seconds, not minutes; the report says so when that happened.
 */
public final class FileOutputs {
  static final long MAX_LINES = 1_000_000;
  static final int TOP_KEYS = 10;
  static final int EXAMPLES = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A key and its events (the sum of its windows' counts) and rows. */
  public record KeyTotal(String key, long events, long windows) {}

  /** Dead letters whose error reads alike, with up to {@link #EXAMPLES} of their payloads. */
  public record Reason(String reason, String stage, long count, List<String> examples) {}

  private final List<KeyTotal> topKeys;
  private final List<Reason> reasons;
  private final boolean truncated;

  private FileOutputs(List<KeyTotal> topKeys, List<Reason> reasons, boolean truncated) {
    this.topKeys = topKeys;
    this.reasons = reasons;
    this.truncated = truncated;
  }

  /** Reads the rows and dead letters written under these directories, if any. */
  public static FileOutputs read(Optional<Path> rows, Optional<Path> deadLetters)
      throws IOException {
    boolean[] truncated = {false};
    List<KeyTotal> keys = rows.isPresent() ? topKeys(rows.get(), truncated) : List.of();
    List<Reason> reasons =
        deadLetters.isPresent() ? reasons(deadLetters.get(), truncated) : List.of();
    return new FileOutputs(keys, reasons, truncated[0]);
  }

  public List<KeyTotal> topKeys() {
    return topKeys;
  }

  public List<Reason> reasons() {
    return reasons;
  }

  /** Whether an output had more than {@link #MAX_LINES} lines and only those were read. */
  public boolean truncated() {
    return truncated;
  }

  private static List<KeyTotal> topKeys(Path dir, boolean[] truncated) throws IOException {
    // Panes of one key and window accumulate: the one with the highest index holds the count.
    Map<String, long[]> latest = new HashMap<>();
    Map<String, String> keyOf = new HashMap<>();
    forEachLine(
        dir,
        truncated,
        row -> {
          JsonNode key = row.get("key");
          JsonNode count = row.get("count");
          if (key == null || !key.isTextual() || count == null || !count.canConvertToLong()) {
            return;
          }
          String id = key.asText() + "\u0000" + row.path("window_start").asText("");
          long pane = row.path("pane_index").asLong(0);
          long[] seen = latest.get(id);
          if (seen == null || pane >= seen[0]) {
            latest.put(id, new long[] {pane, count.asLong()});
            keyOf.put(id, key.asText());
          }
        });
    Map<String, long[]> byKey = new HashMap<>();
    latest.forEach(
        (id, paneAndCount) -> {
          long[] total = byKey.computeIfAbsent(keyOf.get(id), k -> new long[2]);
          total[0] += paneAndCount[1];
          total[1]++;
        });
    return byKey.entrySet().stream()
        .map(e -> new KeyTotal(e.getKey(), e.getValue()[0], e.getValue()[1]))
        .sorted(Comparator.comparingLong(KeyTotal::events).reversed().thenComparing(KeyTotal::key))
        .limit(TOP_KEYS)
        .toList();
  }

  private static List<Reason> reasons(Path dir, boolean[] truncated) throws IOException {
    Map<String, Reason> byReason = new LinkedHashMap<>();
    forEachLine(
        dir,
        truncated,
        letter -> {
          String stage = letter.path("stage").asText("");
          String reason = reasonOf(letter.path("error").asText(""));
          Reason seen = byReason.get(stage + "\u0000" + reason);
          List<String> examples = seen == null ? new ArrayList<>() : seen.examples();
          if (examples.size() < EXAMPLES) {
            examples.add(letter.path("payload").asText(""));
          }
          byReason.put(
              stage + "\u0000" + reason,
              new Reason(reason, stage, seen == null ? 1 : seen.count() + 1, examples));
        });
    return byReason.values().stream()
        .sorted(Comparator.comparingLong(Reason::count).reversed().thenComparing(Reason::reason))
        .toList();
  }

  /**
   * The class of an error: its text up to the first colon (what follows is usually the offending
   * value), numbers and quoted parts replaced, so that alike errors group.
   */
  static String reasonOf(String error) {
    String reason = error.strip();
    int colon = reason.indexOf(": ");
    if (colon > 0) {
      reason = reason.substring(0, colon);
    }
    reason = reason.replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("[0-9]+", "N");
    return reason.length() > 120 ? reason.substring(0, 119) + "…" : reason;
  }

  private interface LineConsumer {
    void accept(JsonNode line);
  }

  private static void forEachLine(Path dir, boolean[] truncated, LineConsumer consumer)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files =
          listed
              .filter(p -> p.getFileName().toString().startsWith("part-"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    }
    long lines = 0;
    for (Path file : files) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          if (++lines > MAX_LINES) {
            truncated[0] = true;
            return;
          }
          JsonNode node;
          try {
            node = JSON.readTree(line);
          } catch (IOException e) {
            continue;
          }
          if (node != null && node.isObject()) {
            consumer.accept(node);
          }
        }
      }
    }
  }
}
