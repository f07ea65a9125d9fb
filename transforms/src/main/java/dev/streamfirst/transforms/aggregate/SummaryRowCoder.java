package dev.streamfirst.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.joda.time.Instant;

/** A compact, deterministic coder for {@link SummaryRow}, as {@link StatsRowCoder} is for stats. */
public final class SummaryRowCoder extends AtomicCoder<SummaryRow> {
  private static final SummaryRowCoder INSTANCE = new SummaryRowCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final InstantCoder INSTANT = InstantCoder.of();

  public static SummaryRowCoder of() {
    return INSTANCE;
  }

  private SummaryRowCoder() {}

  @Override
  public void encode(SummaryRow row, OutputStream out) throws IOException {
    STRING.encode(row.key(), out);
    INSTANT.encode(row.windowStart(), out);
    INSTANT.encode(row.windowEnd(), out);
    SummaryCoder.of().encode(row.summary(), out);
    PaneTimingCoding.encode(row.paneTiming(), row.paneIndex(), row.isFinal(), out);
  }

  @Override
  public SummaryRow decode(InputStream in) throws IOException {
    String key = STRING.decode(in);
    Instant start = INSTANT.decode(in);
    Instant end = INSTANT.decode(in);
    Summary summary = SummaryCoder.of().decode(in);
    return SummaryRow.of(
        key,
        start,
        end,
        summary,
        PaneTimingCoding.decodeTiming(in),
        PaneTimingCoding.decodeIndex(in),
        PaneTimingCoding.decodeFinal(in));
  }

  @Override
  public void verifyDeterministic() {}
}
