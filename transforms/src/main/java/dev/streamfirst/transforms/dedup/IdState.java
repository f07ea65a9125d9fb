package dev.streamfirst.transforms.dedup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TimestampedValue.TimestampedValueCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Everything streaming event-time dedup keeps for one id, in one state value: the event time of the
 * latest copy that passed, and the copies waiting for the watermark with the release timer's time
 * and hold.
 *
 * <p>One value rather than a state cell per field because each access costs a keyed look-up (on
 * Flink, hashing the encoded id): one read and at most one write per element and per timer.
 * Immutable, so that a runner that hands out the stored object sees it change only by a write.
 */
final class IdState<T> {
  /** Event time (millis) of the latest copy that passed; null when none is remembered. */
  final @Nullable Long passed;

  /** Copies waiting for the watermark, in arrival order. */
  final List<TimestampedValue<T>> waiting;

  /** When the release timer fires; meaningless when nothing waits. */
  final long releaseAt;

  /** The release timer's watermark hold; meaningless when nothing waits. */
  final long holdAt;

  IdState(@Nullable Long passed, List<TimestampedValue<T>> waiting, long releaseAt, long holdAt) {
    this.passed = passed;
    this.waiting = waiting;
    this.releaseAt = releaseAt;
    this.holdAt = holdAt;
  }

  static <T> IdState<T> passedAt(@Nullable Long passed) {
    return new IdState<>(passed, Collections.emptyList(), 0, 0);
  }

  boolean isEmpty() {
    return passed == null && waiting.isEmpty();
  }

  /** Encodes the release time and hold only while something waits. */
  static final class IdStateCoder<T> extends StructuredCoder<IdState<T>> {
    private static final Coder<Long> PASSED = NullableCoder.of(VarLongCoder.of());
    private static final Coder<Long> TIME = VarLongCoder.of();

    private final Coder<T> elementCoder;
    private final ListCoder<TimestampedValue<T>> waitingCoder;

    private IdStateCoder(Coder<T> elementCoder) {
      this.elementCoder = elementCoder;
      this.waitingCoder = ListCoder.of(TimestampedValueCoder.of(elementCoder));
    }

    static <T> IdStateCoder<T> of(Coder<T> elementCoder) {
      return new IdStateCoder<>(elementCoder);
    }

    @Override
    public void encode(IdState<T> value, OutputStream out) throws IOException {
      PASSED.encode(value.passed, out);
      waitingCoder.encode(value.waiting, out);
      if (!value.waiting.isEmpty()) {
        TIME.encode(value.releaseAt, out);
        TIME.encode(value.holdAt, out);
      }
    }

    @Override
    public IdState<T> decode(InputStream in) throws IOException {
      Long passed = PASSED.decode(in);
      List<TimestampedValue<T>> waiting = waitingCoder.decode(in);
      if (waiting.isEmpty()) {
        return passedAt(passed);
      }
      long releaseAt = TIME.decode(in);
      long holdAt = TIME.decode(in);
      return new IdState<>(passed, waiting, releaseAt, holdAt);
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return Collections.singletonList(elementCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      waitingCoder.verifyDeterministic();
    }
  }
}
