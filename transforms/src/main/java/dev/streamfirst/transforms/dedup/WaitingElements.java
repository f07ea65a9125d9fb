package dev.streamfirst.transforms.dedup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.LongPredicate;
import java.util.stream.IntStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * The elements a group of event-time dedup holds until the watermark passes them, each kept as its
 * encoding with its event time and its id's digest, in arrival order.
 *
 * <p>Why encodings rather than the elements: a runner that keeps state as objects copies a group's
 * value, by encoding and decoding it, the first time it is touched while a checkpoint is written
 * (Flink's heap backend), and every checkpoint encodes it again. Kept encoded, an element is
 * encoded once when it arrives and decoded once when it is released, and every copy in between is a
 * block move. The digest is kept so that the id is not digested a second time at release; the
 * encoding also gives the tie-break of {@link EventTimeOrder} without encoding again.
 */
final class WaitingElements {
  private static final int MIN_CAPACITY = 8;

  private long[] times;
  private long[] idHigh;
  private long[] idLow;

  /** Where each element's encoding ends in {@link #bytes}; it starts where the previous ends. */
  private int[] ends;

  private byte[] bytes;
  private int count;

  WaitingElements() {
    this(new long[MIN_CAPACITY], new long[MIN_CAPACITY], new long[MIN_CAPACITY], 0);
  }

  private WaitingElements(long[] times, long[] idHigh, long[] idLow, int count) {
    this.times = times;
    this.idHigh = idHigh;
    this.idLow = idLow;
    this.ends = new int[times.length];
    this.bytes = new byte[0];
    this.count = count;
  }

  int size() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  void add(long time, IdDigests.Digest id, byte[] encoded) {
    if (count == times.length) {
      int capacity = 2 * times.length;
      times = Arrays.copyOf(times, capacity);
      idHigh = Arrays.copyOf(idHigh, capacity);
      idLow = Arrays.copyOf(idLow, capacity);
      ends = Arrays.copyOf(ends, capacity);
    }
    int start = end(count - 1);
    if (start + encoded.length > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, start + encoded.length));
    }
    System.arraycopy(encoded, 0, bytes, start, encoded.length);
    times[count] = time;
    idHigh[count] = id.high();
    idLow[count] = id.low();
    ends[count] = start + encoded.length;
    count++;
  }

  long time(int index) {
    return times[index];
  }

  IdDigests.Digest id(int index) {
    return new IdDigests.Digest(idHigh[index], idLow[index]);
  }

  byte[] encoding(int index) {
    return Arrays.copyOfRange(bytes, end(index - 1), ends[index]);
  }

  /**
   * The indexes of the elements whose event time is {@code ready}, in the order dedup decides them:
   * by event time, then by encoding ({@link EventTimeOrder}'s order).
   */
  int[] inDecidingOrder(LongPredicate ready) {
    Comparator<Integer> order =
        Comparator.<Integer>comparingLong(i -> times[i])
            .thenComparing(
                (a, b) ->
                    Arrays.compareUnsigned(bytes, end(a - 1), ends[a], bytes, end(b - 1), ends[b]));
    return IntStream.range(0, count)
        .filter(i -> ready.test(times[i]))
        .boxed()
        .sorted(order)
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /** Keeps only the elements whose event time is {@code keep}, in their order. */
  void retainIf(LongPredicate keep) {
    int kept = 0;
    int written = 0;
    for (int i = 0; i < count; i++) {
      if (!keep.test(times[i])) {
        continue;
      }
      int start = end(i - 1);
      int length = ends[i] - start;
      System.arraycopy(bytes, start, bytes, written, length);
      written += length;
      times[kept] = times[i];
      idHigh[kept] = idHigh[i];
      idLow[kept] = idLow[i];
      ends[kept] = written;
      kept++;
    }
    count = kept;
    if (kept == 0) {
      bytes = new byte[0];
    }
  }

  private int end(int index) {
    return index < 0 ? 0 : ends[index];
  }

  /**
   * The count, each element's time, digest and end, then the encodings, each array in one piece.
   */
  static final class WaitingElementsCoder extends AtomicCoder<WaitingElements> {
    private static final WaitingElementsCoder INSTANCE = new WaitingElementsCoder();
    private static final Coder<Integer> SIZE = VarIntCoder.of();
    private static final int MAX_COUNT = Integer.MAX_VALUE / (4 * Long.BYTES);

    static WaitingElementsCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(WaitingElements waiting, OutputStream out) throws IOException {
      int count = waiting.count;
      SIZE.encode(count, out);
      if (count == 0) {
        return;
      }
      PrimitiveArrays.writeLongs(waiting.times, count, out);
      PrimitiveArrays.writeLongs(waiting.idHigh, count, out);
      PrimitiveArrays.writeLongs(waiting.idLow, count, out);
      PrimitiveArrays.writeInts(waiting.ends, count, out);
      out.write(waiting.bytes, 0, waiting.ends[count - 1]);
    }

    @Override
    public WaitingElements decode(InputStream in) throws IOException {
      int count = SIZE.decode(in);
      if (count < 0 || count > MAX_COUNT) {
        throw new IOException("not an encoding of waiting elements: " + count + " elements");
      }
      if (count == 0) {
        return new WaitingElements();
      }
      WaitingElements waiting =
          new WaitingElements(
              PrimitiveArrays.readLongs(count, in),
              PrimitiveArrays.readLongs(count, in),
              PrimitiveArrays.readLongs(count, in),
              count);
      waiting.ends = PrimitiveArrays.readInts(count, in);
      int previous = 0;
      for (int end : waiting.ends) {
        if (end < previous) {
          throw new IOException("not an encoding of waiting elements: an element ends at " + end);
        }
        previous = end;
      }
      waiting.bytes = PrimitiveArrays.readFully(previous, in);
      return waiting;
    }
  }
}
