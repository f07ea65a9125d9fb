package dev.streamfirst.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A compact, deterministic coder for {@link Summary}: its stats, then p50, p95, p99 and the
 * distinct count. Java serialization would write class descriptors into every record, and change
 * its form with the class.
 */
public final class SummaryCoder extends AtomicCoder<Summary> {
  private static final SummaryCoder INSTANCE = new SummaryCoder();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();

  public static SummaryCoder of() {
    return INSTANCE;
  }

  private SummaryCoder() {}

  @Override
  public void encode(Summary summary, OutputStream out) throws IOException {
    StatsCoder.of().encode(summary.stats(), out);
    DOUBLE.encode(summary.p50(), out);
    DOUBLE.encode(summary.p95(), out);
    DOUBLE.encode(summary.p99(), out);
    VarLongCoder.of().encode(summary.distinct(), out);
  }

  @Override
  public Summary decode(InputStream in) throws IOException {
    return Summary.of(
        StatsCoder.of().decode(in),
        DOUBLE.decode(in),
        DOUBLE.decode(in),
        DOUBLE.decode(in),
        VarLongCoder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
