package dev.streamfirst.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * A compact, deterministic coder for {@link StatsRow}. Rows are as many as events when keys are
 * many and windows short, so Java serialization (class descriptors in every record) cost as much as
 * the aggregation itself.
 */
public final class StatsRowCoder extends AtomicCoder<StatsRow> {
  private static final StatsRowCoder INSTANCE = new StatsRowCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final InstantCoder INSTANT = InstantCoder.of();
  private static final PaneInfo.Timing[] TIMINGS = PaneInfo.Timing.values();

  public static StatsRowCoder of() {
    return INSTANCE;
  }

  private StatsRowCoder() {}

  @Override
  public void encode(StatsRow row, OutputStream out) throws IOException {
    STRING.encode(row.key(), out);
    INSTANT.encode(row.windowStart(), out);
    INSTANT.encode(row.windowEnd(), out);
    StatsCoder.of().encode(row.stats(), out);
    VarIntCoder.of().encode(row.paneTiming().ordinal(), out);
    VarLongCoder.of().encode(row.paneIndex(), out);
    BooleanCoder.of().encode(row.isFinal(), out);
  }

  @Override
  public StatsRow decode(InputStream in) throws IOException {
    String key = STRING.decode(in);
    org.joda.time.Instant start = INSTANT.decode(in);
    org.joda.time.Instant end = INSTANT.decode(in);
    Stats stats = StatsCoder.of().decode(in);
    int timing = VarIntCoder.of().decode(in);
    if (timing < 0 || timing >= TIMINGS.length) {
      throw new CoderException("unknown pane timing " + timing);
    }
    return StatsRow.of(
        key,
        start,
        end,
        stats,
        TIMINGS[timing],
        VarLongCoder.of().decode(in),
        BooleanCoder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
