package dev.streamfirst.io.file;

import dev.streamfirst.transforms.events.Payloads;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileBasedSource;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.ValueProvider;

/**
 * The lines of text files, split at {@code \n}, {@code \r\n} or {@code \r} as Beam's {@code TextIO}
 * splits them, but decoded strictly: a line that is valid UTF-8 is its text, any other line the
 * undecoded form of {@link Payloads}, so parsing can keep its exact bytes in a dead letter (TextIO
 * would replace them with U+FFFD). A UTF-8 byte order mark at the very start of a file is dropped,
 * as TextIO drops it.
 *
 * <p>A file is split by byte ranges for parallel reading: a range yields the lines that start in
 * it, a line starting right after a terminator (or at the start of the file).
 */
final class Utf8LineSource extends FileBasedSource<String> {
  Utf8LineSource(ValueProvider<String> pattern, EmptyMatchTreatment emptyMatchTreatment) {
    super(pattern, emptyMatchTreatment, 1);
  }

  private Utf8LineSource(MatchResult.Metadata file, long start, long end) {
    super(file, 1, start, end);
  }

  @Override
  protected FileBasedSource<String> createForSubrangeOfFile(
      MatchResult.Metadata file, long start, long end) {
    return new Utf8LineSource(file, start, end);
  }

  @Override
  protected FileBasedReader<String> createSingleFileReader(PipelineOptions options) {
    return new LineReader(this);
  }

  @Override
  public Coder<String> getOutputCoder() {
    return StringUtf8Coder.of();
  }

  private static final class LineReader extends FileBasedReader<String> {
    private LineCursor cursor;
    private long lineStart;
    private String current;

    LineReader(Utf8LineSource source) {
      super(source);
    }

    @Override
    protected void startReading(ReadableByteChannel channel) throws IOException {
      long start = getCurrentSource().getStartOffset();
      if (start > 0) {
        // The first line of this range starts after the first terminator at or after start - 1:
        // a line running across start belongs to the range before.
        ((SeekableByteChannel) channel).position(start - 1);
        cursor = LineCursor.positionedAt(channel, start - 1);
        cursor.skipLine();
      } else {
        cursor = LineCursor.at(channel, 0); // drops a byte order mark
      }
    }

    @Override
    protected boolean readNextRecord() throws IOException {
      lineStart = cursor.offset();
      current = cursor.nextLine();
      return current != null; // null: the end of the file, after its last terminator
    }

    @Override
    protected boolean isAtSplitPoint() {
      return true;
    }

    @Override
    protected long getCurrentOffset() {
      return lineStart;
    }

    @Override
    public String getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }
  }
}
