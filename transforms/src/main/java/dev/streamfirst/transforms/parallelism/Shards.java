package dev.streamfirst.transforms.parallelism;

/**
 * Spreads values over a number of state keys by a full mix of their hash. Plain hashes of ids and
 * times are not spread: {@code String.hashCode} of {@code "sensor-1-reading"}, {@code
 * "sensor-2-reading"}, … walks through its low bits in a slow wave, and times of one resolution
 * share their low bits, so a plain modulo puts most of them on a few keys.
 */
public final class Shards {
  private Shards() {}

  /** The shard of {@code hash} among {@code shards}; the same on every worker. */
  public static int of(long hash, int shards) {
    long h = hash * 0x9E3779B97F4A7C15L;
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 29;
    return (int) Math.floorMod(h, (long) shards);
  }

  /** The shard of a text id among {@code shards}; {@code String.hashCode} is specified. */
  public static int of(String id, int shards) {
    return of(id.hashCode(), shards);
  }
}
