package dev.streamfirst.io.generator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;

/**
 * Where a generator reader resumes: the next position and how many of that position's deliveries
 * (original, then copies) were already emitted. Nothing is acknowledged anywhere, so finalizing is
 * a no-op; the position alone makes a resumed reader continue without loss or repeats.
 */
record GeneratorCheckpoint(long nextPosition, int deliveredAtPosition)
    implements UnboundedSource.CheckpointMark {
  @Override
  public void finalizeCheckpoint() {}

  @Override
  public String toString() {
    return "GeneratorCheckpoint{next=" + nextPosition + ", delivered=" + deliveredAtPosition + "}";
  }

  /** Two variable-length numbers: small, deterministic and stable across releases. */
  static final class Coder extends AtomicCoder<GeneratorCheckpoint> {
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(GeneratorCheckpoint mark, OutputStream out) throws IOException {
      VarLongCoder.of().encode(mark.nextPosition, out);
      VarIntCoder.of().encode(mark.deliveredAtPosition, out);
    }

    @Override
    public GeneratorCheckpoint decode(InputStream in) throws IOException {
      return new GeneratorCheckpoint(VarLongCoder.of().decode(in), VarIntCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
