package dev.streamfirst.io.redis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.io.PanedRows;
import dev.streamfirst.io.Sinks;
import dev.streamfirst.testing.servers.redis.RedisServer;
import dev.streamfirst.transforms.aggregate.StatsRow;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.junit.Rule;
import org.junit.Test;
import redis.clients.jedis.Jedis;

/** The latest row per key in a real Redis server. */
public class RedisSinkIT {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final transient TestPipeline replay = TestPipeline.create();

  private final RedisServer redis = RedisServer.shared();

  // Latest window by end, then start; within a window, the highest pane.
  private static final Comparator<StatsRow> NEWEST =
      Comparator.comparing(StatsRow::windowEnd)
          .thenComparing(StatsRow::windowStart)
          .thenComparingLong(StatsRow::paneIndex);

  @Test
  public void eachKeyHoldsItsLatestRow_andALatePaneOfAnOlderWindowDoesNotReplaceIt() {
    String prefix = "panes:" + System.nanoTime() + ":";
    String uri = "redis://" + redis.host() + ":" + redis.port() + "?prefix=" + prefix;
    PanedRows panes = PanedRows.create();

    p.apply(panes).apply(Sinks.write(uri));
    p.run().waitUntilFinish();

    List<StatsRow> emitted = panes.emitted();
    Map<String, StatsRow> latest = PanedRows.latest(emitted, StatsRow::key, NEWEST);
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      assertEquals(Set.of(prefix + "a", prefix + "b"), new TreeSet<>(jedis.keys(prefix + "*")));
      for (Map.Entry<String, StatsRow> expected : latest.entrySet()) {
        String key = prefix + expected.getKey();
        assertEquals(expected.getValue(), StatsRow.fromJson(jedis.hget(key, RedisSink.ROW_FIELD)));
        assertEquals(Long.toString(expected.getValue().paneIndex()), jedis.hget(key, "pane_index"));
      }
      // Key a's newest window is [10:01, 10:02), although [10:00, 10:01) had a late pane after it.
      assertEquals(PanedRows.W2_START, latest.get("a").windowStart());
      assertTrue(
          emitted.stream()
              .anyMatch(
                  row ->
                      row.key().equals("a")
                          && row.windowStart().equals(PanedRows.W1_START)
                          && row.paneTiming() == Timing.LATE));

      // The late pane of the older window, and an early pane, replayed: nothing changes.
      String stored = jedis.hget(prefix + "a", RedisSink.ROW_FIELD);
      List<String> old =
          emitted.stream()
              .filter(row -> row.key().equals("a") && !row.equals(latest.get("a")))
              .map(StatsRow::toJson)
              .collect(Collectors.toList());
      replay.apply(Create.of(old)).apply(Sinks.write(uri));
      replay.run().waitUntilFinish();

      assertEquals(stored, jedis.hget(prefix + "a", RedisSink.ROW_FIELD));
    }
  }

  @Test
  public void passwordInTheUri_authenticates() {
    String prefix = "auth:" + System.nanoTime() + ":";
    StatsRow row = PanedRows.rowOf("k", 0);
    // Tests in this JVM run one after another, so the shared server may require a password for
    // the length of this one.
    try (Jedis admin = new Jedis(redis.host(), redis.port())) {
      admin.configSet("requirepass", "s3cret");
    }
    try {
      p.apply(Create.of(row.toJson()))
          .apply(
              Sinks.write(
                  "redis://:s3cret@" + redis.host() + ":" + redis.port() + "?prefix=" + prefix));
      p.run().waitUntilFinish();

      try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
        jedis.auth("s3cret");
        assertEquals(row.toJson(), jedis.hget(prefix + "k", RedisSink.ROW_FIELD));
      }
    } finally {
      try (Jedis admin = new Jedis(redis.host(), redis.port())) {
        admin.auth("s3cret");
        admin.configSet("requirepass", "");
      }
    }
  }
}
