package dev.streamfirst.transforms.dedup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * What processing-time dedup keeps for one group of ids, in one state value: the group's tick count
 * (a tick is half a TTL of processing time) and, for each id remembered, the tick it passed in.
 * Mutable, like {@link EventTimeGroup}, and for the same reasons.
 */
final class ProcessingTimeGroup {
  /** Id → the tick it passed in. */
  final IdDigests seen;

  /** Ticks counted so far. */
  int tick;

  ProcessingTimeGroup() {
    this(new IdDigests(), 0);
  }

  private ProcessingTimeGroup(IdDigests seen, int tick) {
    this.seen = seen;
    this.tick = tick;
  }

  /** Ids and their ticks, with the tick count first. */
  static final class ProcessingTimeGroupCoder extends StructuredCoder<ProcessingTimeGroup> {
    private static final ProcessingTimeGroupCoder INSTANCE = new ProcessingTimeGroupCoder();
    private static final Coder<IdDigests> IDS = IdDigests.IdDigestsCoder.of();
    private static final Coder<Integer> INT = VarIntCoder.of();

    static ProcessingTimeGroupCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(ProcessingTimeGroup group, OutputStream out) throws IOException {
      INT.encode(group.tick, out);
      IDS.encode(group.seen, out);
    }

    @Override
    public ProcessingTimeGroup decode(InputStream in) throws IOException {
      int tick = INT.decode(in);
      return new ProcessingTimeGroup(IDS.decode(in), tick);
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of();
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(this, "ids are written in the order of their slots");
    }
  }
}
