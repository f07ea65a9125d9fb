package dev.streamfirst.pipelines.options;

import dev.streamfirst.transforms.dedup.Dedup;
import dev.streamfirst.transforms.time.Durations;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How re-delivered events are dropped. */
public interface DedupOptions extends PipelineOptions {
  @Description(
      "Per id, only the first event within this TTL counts (e.g. 30s, 10m, 1h); later copies"
          + " are dropped.")
  @Default.String(Dedup.DEFAULT_TTL_TEXT)
  @ValuePattern(Durations.PATTERN)
  String getDedupTtl();

  void setDedupTtl(String ttl);

  @Description(
      "Which clock measures the dedup TTL: EVENT_TIME (earliest event of an id wins, same"
          + " result on every run) or PROCESSING_TIME (first arrival wins, no waiting).")
  @Default.Enum("EVENT_TIME")
  Dedup.Clock getDedupClock();

  void setDedupClock(Dedup.Clock clock);

  @Description(
      "With EVENT_TIME dedup, how long an event may wait for an earlier copy: events are held"
          + " until the watermark passes the end of their slot of this length (e.g. 100ms, 1s),"
          + " so a window result waits at most this much more; a length that divides the window"
          + " size adds no wait. Longer means fewer timers.")
  @Default.String(Dedup.DEFAULT_RELEASE_INTERVAL_TEXT)
  @ValuePattern(Durations.PATTERN)
  String getDedupReleaseInterval();

  void setDedupReleaseInterval(String interval);

  @Description(
      "On a stream, how many groups dedup spreads the ids over; each group keeps its ids in one"
          + " state value and has one release timer. On Flink's heap state backend fewer groups"
          + " are cheaper (the default suits it). With RocksDB or on Dataflow an event reads and"
          + " writes its group's value, so use at least rate x TTL / 200 (distinct ids per second"
          + " times the TTL in seconds, over 200). Keep it when restoring a savepoint.")
  @Default.Integer(Dedup.DEFAULT_STREAMING_GROUPS)
  int getDedupGroups();

  void setDedupGroups(int groups);
}
