package dev.streamfirst.transforms.dedup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.LongPredicate;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * The ids a group of dedup remembers, each with a long (when it passed), kept as the first 128 bits
 * of the id's SHA-256 in three primitive arrays (open addressing).
 *
 * <p>Why digests and arrays rather than a map of strings: a runner that keeps state as objects
 * copies a group's value, by encoding and decoding it, the first time it is touched while a
 * checkpoint is written (Flink's heap backend), and every checkpoint encodes it again. With a map
 * of strings that costs an object or two and a string's encoding per id, and at 10,000 ids/s it was
 * most of the job's CPU. Here an id is 24 bytes written and read in bulk. Two different ids share a
 * digest with probability 2<sup>-128</sup> per pair: at a billion ids remembered at once, about one
 * chance in 10<sup>20</sup> that any two do, and then only one of them passes.
 */
final class IdDigests {
  /** What {@link #get} returns for an id not remembered. */
  static final long ABSENT = Long.MIN_VALUE;

  private static final int MIN_CAPACITY = 8;
  private static final int ENTRY_BYTES = 3 * Long.BYTES;

  // An empty slot has both halves zero; a digest that is all zero is stored with its low bit set,
  // which merges it with one other digest in 2^128.
  private long[] high;
  private long[] low;
  private long[] values;
  private int size;

  IdDigests() {
    this(MIN_CAPACITY);
  }

  private IdDigests(int capacity) {
    high = new long[capacity];
    low = new long[capacity];
    values = new long[capacity];
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The value remembered for this id, or {@link #ABSENT}. */
  long get(Digest id) {
    int slot = find(id.high, id.low);
    return high[slot] == 0 && low[slot] == 0 ? ABSENT : values[slot];
  }

  /** Remembers {@code value} for this id, replacing what was there. */
  void put(Digest id, long value) {
    if (2 * (size + 1) > high.length) {
      resize(2 * high.length);
    }
    insert(id.high, id.low, value);
  }

  /** Forgets the ids whose value matches. */
  void removeIf(LongPredicate forget) {
    IdDigests kept = new IdDigests(high.length);
    for (int i = 0; i < high.length; i++) {
      if ((high[i] != 0 || low[i] != 0) && !forget.test(values[i])) {
        kept.insert(high[i], low[i], values[i]);
      }
    }
    int capacity = capacityFor(kept.size);
    if (capacity < high.length) {
      kept.resize(capacity);
    }
    high = kept.high;
    low = kept.low;
    values = kept.values;
    size = kept.size;
  }

  /** The smallest value remembered, or {@link Long#MAX_VALUE} when none is. */
  long minValue() {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < high.length; i++) {
      if (high[i] != 0 || low[i] != 0) {
        min = Math.min(min, values[i]);
      }
    }
    return min;
  }

  private void insert(long h, long l, long value) {
    int slot = find(h, l);
    if (high[slot] == 0 && low[slot] == 0) {
      high[slot] = h;
      low[slot] = l;
      size++;
    }
    values[slot] = value;
  }

  /** The slot holding this digest, or the empty slot where it would go. */
  private int find(long h, long l) {
    int mask = high.length - 1;
    // The digest's bits are already uniform: its low half picks the first slot.
    int slot = (int) l & mask;
    while ((high[slot] != 0 || low[slot] != 0) && (high[slot] != h || low[slot] != l)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void resize(int capacity) {
    long[] oldHigh = high;
    long[] oldLow = low;
    long[] oldValues = values;
    high = new long[capacity];
    low = new long[capacity];
    values = new long[capacity];
    size = 0;
    for (int i = 0; i < oldHigh.length; i++) {
      if (oldHigh[i] != 0 || oldLow[i] != 0) {
        insert(oldHigh[i], oldLow[i], oldValues[i]);
      }
    }
  }

  /** A power of two at least twice {@code size}: at most half the slots are taken. */
  private static int capacityFor(int size) {
    int capacity = MIN_CAPACITY;
    while (capacity < 2 * size) {
      capacity *= 2;
    }
    return capacity;
  }

  /** The first 128 bits of an id's SHA-256. */
  record Digest(long high, long low) {}

  /**
   * Digests ids. Not thread-safe: one per DoFn instance, which a runner calls from one thread at a
   * time.
   */
  static final class Digester {
    private final MessageDigest sha256;

    Digester() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
    }

    Digest of(String id) {
      ByteBuffer digest = ByteBuffer.wrap(sha256.digest(id.getBytes(StandardCharsets.UTF_8)));
      long high = digest.getLong();
      long low = digest.getLong();
      return high == 0 && low == 0 ? new Digest(0, 1) : new Digest(high, low);
    }
  }

  /**
   * The count, then the ids' high halves, low halves and values, each array written and read in one
   * piece ({@link PrimitiveArrays}), in the order of the slots, so that decoding fills the new
   * table almost in order.
   */
  static final class IdDigestsCoder extends AtomicCoder<IdDigests> {
    private static final IdDigestsCoder INSTANCE = new IdDigestsCoder();
    private static final Coder<Integer> SIZE = VarIntCoder.of();

    static IdDigestsCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(IdDigests ids, OutputStream out) throws IOException {
      int size = ids.size;
      long[] high = new long[size];
      long[] low = new long[size];
      long[] values = new long[size];
      int n = 0;
      for (int i = 0; i < ids.high.length; i++) {
        if (ids.high[i] != 0 || ids.low[i] != 0) {
          high[n] = ids.high[i];
          low[n] = ids.low[i];
          values[n] = ids.values[i];
          n++;
        }
      }
      SIZE.encode(size, out);
      PrimitiveArrays.writeLongs(high, size, out);
      PrimitiveArrays.writeLongs(low, size, out);
      PrimitiveArrays.writeLongs(values, size, out);
    }

    @Override
    public IdDigests decode(InputStream in) throws IOException {
      int size = SIZE.decode(in);
      if (size < 0 || size > Integer.MAX_VALUE / (2 * ENTRY_BYTES)) {
        throw new IOException("not an encoding of dedup ids: " + size + " ids");
      }
      long[] high = PrimitiveArrays.readLongs(size, in);
      long[] low = PrimitiveArrays.readLongs(size, in);
      long[] values = PrimitiveArrays.readLongs(size, in);
      IdDigests ids = new IdDigests(capacityFor(size));
      for (int i = 0; i < size; i++) {
        if (high[i] == 0 && low[i] == 0) {
          throw new IOException("not an encoding of dedup ids: an empty digest");
        }
        ids.insert(high[i], low[i], values[i]);
      }
      return ids;
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(this, "ids are written in the order of their slots");
    }
  }
}
