package dev.streamfirst.io.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.joda.time.Instant;

/**
 * Where a watch of a folder resumes: the files read to the end, the files of the current batch
 * still to read (the first one {@code offset} bytes in), the watermark, the latest event time seen,
 * and when a new file was last found. Nothing is acknowledged anywhere, so finalizing is a no-op.
 */
record WatchCheckpoint(
    SortedSet<String> done,
    List<String> pending,
    long offset,
    Instant watermark,
    Instant latest,
    Instant lastNewFile)
    implements UnboundedSource.CheckpointMark {
  @Override
  public void finalizeCheckpoint() {}

  @Override
  public String toString() {
    return "WatchCheckpoint{done="
        + done.size()
        + " files, pending="
        + pending
        + ", offset="
        + offset
        + ", watermark="
        + watermark
        + ", latest="
        + latest
        + "}";
  }

  /** File names and numbers: deterministic and readable by a later release of this class. */
  static final class Coder extends AtomicCoder<WatchCheckpoint> {
    private static final Coder INSTANCE = new Coder();
    private static final ListCoder<String> NAMES = ListCoder.of(StringUtf8Coder.of());

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(WatchCheckpoint mark, OutputStream out) throws IOException {
      NAMES.encode(List.copyOf(mark.done), out);
      NAMES.encode(mark.pending, out);
      VarLongCoder.of().encode(mark.offset, out);
      VarLongCoder.of().encode(mark.watermark.getMillis(), out);
      VarLongCoder.of().encode(mark.latest.getMillis(), out);
      VarLongCoder.of().encode(mark.lastNewFile.getMillis(), out);
    }

    @Override
    public WatchCheckpoint decode(InputStream in) throws IOException {
      return new WatchCheckpoint(
          new TreeSet<>(NAMES.decode(in)),
          NAMES.decode(in),
          VarLongCoder.of().decode(in),
          Instant.ofEpochMilli(VarLongCoder.of().decode(in)),
          Instant.ofEpochMilli(VarLongCoder.of().decode(in)),
          Instant.ofEpochMilli(VarLongCoder.of().decode(in)));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
