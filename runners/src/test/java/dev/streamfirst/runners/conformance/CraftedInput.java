package dev.streamfirst.runners.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A bounded input with every kind of mess the canonical event allows, in the spirit of the rollup
 * pipeline's own test: keys in Cyrillic, Japanese and emoji, with quotes and commas; times as UTC,
 * with {@code +05:30} and {@code -08:00} offsets, and as epoch millis; byte-identical
 * re-deliveries, same-id events within and beyond the dedup TTL; sums that depend on the order of
 * addition; malformed lines of every kind; blank lines. Spread over two files, shuffled.
 */
final class CraftedInput {
  static final long DEDUP_TTL_MINUTES = 10;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final List<String> KEYS =
      List.of(
          "sensor-1",
          "ключ-датчика",
          "センサー",
          "a \"quoted\", key",
          "comma,separated,key",
          "emoji-🌡️");

  /** Lines that are not valid events, each of which must come out as one dead letter, as is. */
  static final List<String> MALFORMED =
      List.of(
          "not json at all",
          "[1,2,3]",
          "\"just a string\"",
          "{\"id\":\"m1\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00Z\"}",
          "{\"id\":\"m2\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00Z\",\"value\":\"12\"}",
          "{\"id\":\"\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00Z\",\"value\":1}",
          "{\"id\":\"m3\",\"key\":\"k\",\"ts\":\"yesterday\",\"value\":1}",
          "{\"id\":\"m4\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:00\",\"value\":1}",
          "{\"id\":\"m5\",\"key\":7,\"ts\":1764064800000,\"value\":1}",
          "{\"id\":\"m6\",\"key\":\"k\",\"ts\":1764064800000,\"value\":1} trailing",
          "{\"id\":\"m7\",\"key\":\"k, \\\"q\\\"\",\"ts\":1.5,\"value\":1}",
          "{\"id\":\"m8\",\"key\":\"k\",\"ts\":1764064800000,\"value\":1e400}",
          "{\"id\":\"m9\",\"key\":\"ключ\",\"ts\":1764064800000,\"value\":null}",
          "{\"id\":\"m10\",\"key\":\"k\",\"key\":\"k2\",\"ts\":1764064800000,\"value\":1}",
          "{truncated");

  private CraftedInput() {}

  /** Writes the input as {@code a.jsonl} and {@code b.jsonl} into {@code dir}. */
  static void writeTo(Path dir) throws IOException {
    Random random = new Random(20261127);
    List<String> lines = new ArrayList<>();
    long minute = 60_000;
    for (int i = 0; i < 400; i++) {
      String id = "e-" + i;
      String key = KEYS.get(random.nextInt(KEYS.size()));
      long ts = T0.toEpochMilli() + random.nextInt((int) (40 * minute));
      double value = random.nextInt(20_000) / 100.0 - 50;
      lines.add(event(id, key, ts, value, i));
      if (i % 9 == 0) {
        lines.add(event(id, key, ts, value, i));
      }
      if (i % 23 == 0) {
        lines.add(event(id, key, ts + 90_000, value + 1000, i + 1));
      }
      if (i % 31 == 0) {
        lines.add(event(id, key, ts + DEDUP_TTL_MINUTES * minute + 1, 7.25, i + 2));
      }
    }
    for (int i = 0; i < 30; i++) {
      lines.add(event("exact-" + i, "sensor-1", T0.toEpochMilli() + 5_000 + i, 0.1 * (i % 7), i));
    }
    lines.addAll(MALFORMED);
    lines.add("");
    lines.add("   ");
    Collections.shuffle(lines, random);
    Files.createDirectories(dir);
    int half = lines.size() / 2;
    Files.write(dir.resolve("a.jsonl"), lines.subList(0, half), StandardCharsets.UTF_8);
    Files.write(dir.resolve("b.jsonl"), lines.subList(half, lines.size()), StandardCharsets.UTF_8);
  }

  /**
   * Reference records for the pipelines that enrich (transactions): most crafted keys and most of
   * the generator's, each with a country and a usual amount; the rest have none, so that lookups
   * miss too.
   */
  static void writeReferenceTo(Path file) throws IOException {
    List<String> accounts = new ArrayList<>();
    List<String> keys = new ArrayList<>(KEYS.subList(0, KEYS.size() - 1));
    for (int k = 0; k < 6; k++) {
      keys.add("key-" + k);
    }
    for (int i = 0; i < keys.size(); i++) {
      accounts.add(
          JSON.createObjectNode()
              .put("account_id", keys.get(i))
              .put("country", i % 2 == 0 ? "DE" : "FR")
              .put("usual_amount", 10 + 7 * i)
              .toString());
    }
    Files.createDirectories(file.getParent());
    Files.write(file, accounts, StandardCharsets.UTF_8);
  }

  /** One event, its time written in one of the four accepted forms, plus a field to carry. */
  private static String event(String id, String key, long ts, double value, int variant) {
    ObjectNode node = JSON.createObjectNode().put("id", id).put("key", key);
    Instant time = Instant.ofEpochMilli(ts);
    switch (variant % 4) {
      case 0:
        node.put("ts", time.toString());
        break;
      case 1:
        node.put("ts", time.atOffset(ZoneOffset.ofHoursMinutes(5, 30)).toString());
        break;
      case 2:
        node.put("ts", time.atOffset(ZoneOffset.ofHours(-8)).toString());
        break;
      default:
        node.put("ts", ts);
    }
    return node.put("value", value)
        .put("site", "plant \"north\", line 2")
        .put("country", variant % 3 == 0 ? "FR" : "DE")
        .toString();
  }
}
