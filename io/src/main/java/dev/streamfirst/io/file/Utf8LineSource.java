package dev.streamfirst.io.file;

import dev.streamfirst.transforms.events.Payloads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
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
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

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
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private ReadableByteChannel channel;
    // Offset in the file of the next byte to take from the buffer.
    private long position;
    private long lineStart;
    private String current;
    private boolean eof;

    LineReader(Utf8LineSource source) {
      super(source);
      buffer.flip();
    }

    @Override
    protected void startReading(ReadableByteChannel channel) throws IOException {
      this.channel = channel;
      long start = getCurrentSource().getStartOffset();
      if (start > 0) {
        // The first line of this range starts after the first terminator at or after start - 1:
        // a line running across start belongs to the range before.
        ((SeekableByteChannel) channel).position(start - 1);
        position = start - 1;
        skipLine();
      } else {
        skipBom();
      }
    }

    @Override
    protected boolean readNextRecord() throws IOException {
      lineStart = position;
      line.reset();
      boolean terminated = false;
      int b;
      while ((b = next()) >= 0) {
        if (b == '\n') {
          terminated = true;
          break;
        }
        if (b == '\r') {
          if (peek() == '\n') {
            next();
          }
          terminated = true;
          break;
        }
        line.write(b);
      }
      if (!terminated && line.size() == 0) {
        return false; // the end of the file, after its last terminator
      }
      current = Payloads.fromBytes(line.toByteArray());
      return true;
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

    private void skipLine() throws IOException {
      int b;
      while ((b = next()) >= 0) {
        if (b == '\n') {
          return;
        }
        if (b == '\r') {
          if (peek() == '\n') {
            next();
          }
          return;
        }
      }
    }

    private void skipBom() throws IOException {
      for (int i = 0; i < UTF8_BOM.length; i++) {
        if (!fill()
            || buffer.remaining() <= i
            || buffer.get(buffer.position() + i) != UTF8_BOM[i]) {
          return;
        }
      }
      buffer.position(buffer.position() + UTF8_BOM.length);
      position += UTF8_BOM.length;
    }

    private int next() throws IOException {
      if (!fill()) {
        return -1;
      }
      position++;
      return buffer.get() & 0xFF;
    }

    private int peek() throws IOException {
      return fill() ? buffer.get(buffer.position()) & 0xFF : -1;
    }

    /** True if the buffer has at least one byte (and, at the start, as many as the file has). */
    private boolean fill() throws IOException {
      if (buffer.hasRemaining()) {
        return true;
      }
      if (eof) {
        return false;
      }
      buffer.clear();
      int read = 0;
      while (read == 0) {
        read = channel.read(buffer);
      }
      buffer.flip();
      if (read < 0) {
        eof = true;
        return false;
      }
      return true;
    }
  }
}
