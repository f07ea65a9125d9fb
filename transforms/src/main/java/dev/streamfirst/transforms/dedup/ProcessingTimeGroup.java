package dev.streamfirst.transforms.dedup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * What processing-time dedup keeps for one group of ids, in one state value: the group's tick count
 * (a tick is half a TTL of processing time) and, for each id remembered, the tick it passed in.
 * Mutable, like {@link EventTimeGroup}, and for the same reasons.
 */
final class ProcessingTimeGroup {
  /** Id → the tick it passed in. */
  final Map<String, Integer> seen;

  /** Ticks counted so far. */
  int tick;

  ProcessingTimeGroup() {
    this(new HashMap<>(), 0);
  }

  private ProcessingTimeGroup(Map<String, Integer> seen, int tick) {
    this.seen = seen;
    this.tick = tick;
  }

  /** Ids and their ticks, with the tick count first. */
  static final class ProcessingTimeGroupCoder extends StructuredCoder<ProcessingTimeGroup> {
    private static final ProcessingTimeGroupCoder INSTANCE = new ProcessingTimeGroupCoder();
    private static final Coder<String> ID = StringUtf8Coder.of();
    private static final Coder<Integer> INT = VarIntCoder.of();

    static ProcessingTimeGroupCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(ProcessingTimeGroup group, OutputStream out) throws IOException {
      INT.encode(group.tick, out);
      INT.encode(group.seen.size(), out);
      for (Map.Entry<String, Integer> id : group.seen.entrySet()) {
        ID.encode(id.getKey(), out);
        INT.encode(id.getValue(), out);
      }
    }

    @Override
    public ProcessingTimeGroup decode(InputStream in) throws IOException {
      int tick = INT.decode(in);
      int ids = INT.decode(in);
      Map<String, Integer> seen = new HashMap<>(Math.max(16, ids * 4 / 3 + 1));
      for (int i = 0; i < ids; i++) {
        seen.put(ID.decode(in), INT.decode(in));
      }
      return new ProcessingTimeGroup(seen, tick);
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of();
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      throw new NonDeterministicException(this, "a hash map's entries have no fixed order");
    }
  }
}
