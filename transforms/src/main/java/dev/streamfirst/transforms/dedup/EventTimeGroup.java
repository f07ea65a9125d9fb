package dev.streamfirst.transforms.dedup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Everything streaming event-time dedup keeps for one group of ids, in one state value: for each id
 * that passed within the TTL the event time of its latest copy that passed, the elements waiting
 * for the watermark, and the times of the group's two timers.
 *
 * <p>One value per group rather than state per id because per-id state costs, on Flink's heap
 * backend, a state entry, a timer and the runner's record of that timer for every id — several
 * hundred bytes and a handful of objects each — where an id here is 24 bytes ({@link IdDigests}).
 * Both parts are kept as primitive arrays and bytes ({@link WaitingElements}), so that copying a
 * group, which a runner that keeps state as objects does by encoding and decoding it, is a few
 * block moves.
 *
 * <p>Mutable: dedup changes a value it has read and writes it back. Runners that keep state as
 * objects copy a value before a checkpoint or another bundle can see it change (Flink's heap
 * backend copies on write during a snapshot; the DirectRunner copies on access), and dedup changes
 * nothing it does not write.
 */
final class EventTimeGroup {
  /** Id → event time (millis) of its latest copy that passed. */
  final IdDigests passed;

  /** Elements waiting for the watermark, in arrival order. */
  final WaitingElements waiting;

  /** When the release timer fires; meaningful while something waits. */
  long releaseAt;

  /** The release timer's watermark hold; meaningful while something waits. */
  long holdAt;

  /** When the forget timer fires; meaningful while an id is remembered. */
  long forgetAt;

  EventTimeGroup() {
    this(new IdDigests(), new WaitingElements(), 0, 0, 0);
  }

  private EventTimeGroup(
      IdDigests passed, WaitingElements waiting, long releaseAt, long holdAt, long forgetAt) {
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
  static final class EventTimeGroupCoder extends AtomicCoder<EventTimeGroup> {
    private static final EventTimeGroupCoder INSTANCE = new EventTimeGroupCoder();
    private static final Coder<IdDigests> IDS = IdDigests.IdDigestsCoder.of();
    private static final Coder<WaitingElements> WAITING = WaitingElements.WaitingElementsCoder.of();
    private static final Coder<Long> TIME = VarLongCoder.of();

    static EventTimeGroupCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(EventTimeGroup group, OutputStream out) throws IOException {
      IDS.encode(group.passed, out);
      if (!group.passed.isEmpty()) {
        TIME.encode(group.forgetAt, out);
      }
      WAITING.encode(group.waiting, out);
      if (!group.waiting.isEmpty()) {
        TIME.encode(group.releaseAt, out);
        TIME.encode(group.holdAt, out);
      }
    }

    @Override
    public EventTimeGroup decode(InputStream in) throws IOException {
      IdDigests passed = IDS.decode(in);
      long forgetAt = passed.isEmpty() ? 0 : TIME.decode(in);
      WaitingElements waiting = WAITING.decode(in);
      long releaseAt = waiting.isEmpty() ? 0 : TIME.decode(in);
      long holdAt = waiting.isEmpty() ? 0 : TIME.decode(in);
      return new EventTimeGroup(passed, waiting, releaseAt, holdAt, forgetAt);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(this, "ids are written in the order of their slots");
    }
  }
}
