package dev.streamfirst.transforms.dedup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TimestampedValue.TimestampedValueCoder;

/**
 * Everything streaming event-time dedup keeps for one group of ids, in one state value: for each id
 * that passed within the TTL the event time of its latest copy that passed, the elements waiting
 * for the watermark, and the times of the group's two timers.
 *
 * <p>One value per group rather than state per id because per-id state costs, on Flink's heap
 * backend, a state entry, a timer and the runner's record of that timer for every id — several
 * hundred bytes and a handful of objects each — where an id here is 24 bytes ({@link IdDigests}).
 *
 * <p>Mutable: dedup changes a value it has read and writes it back. Runners that keep state as
 * objects copy a value before a checkpoint or another bundle can see it change (Flink's heap
 * backend copies on write during a snapshot; the DirectRunner copies on access), and dedup changes
 * nothing it does not write.
 */
final class EventTimeGroup<T> {
  /** Id → event time (millis) of its latest copy that passed. */
  final IdDigests passed;

  /** Elements waiting for the watermark, in arrival order. */
  List<TimestampedValue<T>> waiting;

  /** When the release timer fires; meaningful while something waits. */
  long releaseAt;

  /** The release timer's watermark hold; meaningful while something waits. */
  long holdAt;

  /** When the forget timer fires; meaningful while an id is remembered. */
  long forgetAt;

  EventTimeGroup() {
    this(new IdDigests(), new ArrayList<>(), 0, 0, 0);
  }

  private EventTimeGroup(
      IdDigests passed,
      List<TimestampedValue<T>> waiting,
      long releaseAt,
      long holdAt,
      long forgetAt) {
    this.passed = passed;
    this.waiting = waiting;
    this.releaseAt = releaseAt;
    this.holdAt = holdAt;
    this.forgetAt = forgetAt;
  }

  boolean isEmpty() {
    return passed.isEmpty() && waiting.isEmpty();
  }

  /** Encodes each timer's time only while it is meaningful. */
  static final class EventTimeGroupCoder<T> extends StructuredCoder<EventTimeGroup<T>> {
    private static final Coder<IdDigests> IDS = IdDigests.IdDigestsCoder.of();
    private static final Coder<Long> TIME = VarLongCoder.of();
    private static final Coder<Integer> SIZE = VarIntCoder.of();

    private final Coder<T> elementCoder;
    private final Coder<TimestampedValue<T>> waitingCoder;

    private EventTimeGroupCoder(Coder<T> elementCoder) {
      this.elementCoder = elementCoder;
      this.waitingCoder = TimestampedValueCoder.of(elementCoder);
    }

    static <T> EventTimeGroupCoder<T> of(Coder<T> elementCoder) {
      return new EventTimeGroupCoder<>(elementCoder);
    }

    @Override
    public void encode(EventTimeGroup<T> group, OutputStream out) throws IOException {
      IDS.encode(group.passed, out);
      if (!group.passed.isEmpty()) {
        TIME.encode(group.forgetAt, out);
      }
      SIZE.encode(group.waiting.size(), out);
      for (TimestampedValue<T> element : group.waiting) {
        waitingCoder.encode(element, out);
      }
      if (!group.waiting.isEmpty()) {
        TIME.encode(group.releaseAt, out);
        TIME.encode(group.holdAt, out);
      }
    }

    @Override
    public EventTimeGroup<T> decode(InputStream in) throws IOException {
      IdDigests passed = IDS.decode(in);
      long forgetAt = passed.isEmpty() ? 0 : TIME.decode(in);
      int waitingCount = SIZE.decode(in);
      List<TimestampedValue<T>> waiting = new ArrayList<>(waitingCount);
      for (int i = 0; i < waitingCount; i++) {
        waiting.add(waitingCoder.decode(in));
      }
      long releaseAt = waitingCount == 0 ? 0 : TIME.decode(in);
      long holdAt = waitingCount == 0 ? 0 : TIME.decode(in);
      return new EventTimeGroup<>(passed, waiting, releaseAt, holdAt, forgetAt);
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(elementCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(this, "ids are written in the order of their slots");
    }
  }
}
