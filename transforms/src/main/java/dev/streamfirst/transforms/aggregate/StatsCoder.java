package dev.streamfirst.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** A deterministic coder for {@link Stats}. */
public final class StatsCoder extends AtomicCoder<Stats> {
  private static final StatsCoder INSTANCE = new StatsCoder();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();

  public static StatsCoder of() {
    return INSTANCE;
  }

  private StatsCoder() {}

  @Override
  public void encode(Stats s, OutputStream out) throws IOException {
    VarLongCoder.of().encode(s.count(), out);
    DOUBLE.encode(s.sum(), out);
    DOUBLE.encode(s.min(), out);
    DOUBLE.encode(s.max(), out);
    DOUBLE.encode(s.mean(), out);
  }

  @Override
  public Stats decode(InputStream in) throws IOException {
    return Stats.of(
        VarLongCoder.of().decode(in),
        DOUBLE.decode(in),
        DOUBLE.decode(in),
        DOUBLE.decode(in),
        DOUBLE.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
