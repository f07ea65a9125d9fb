package dev.streamfirst.io.file;

import dev.streamfirst.transforms.events.Payloads;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The lines of a file, split at {@code \n}, {@code \r\n} or {@code \r} and decoded strictly ({@link
 * Payloads}), counting the bytes consumed. {@link Utf8LineSource} reads byte ranges of plain files
 * with it; a watched folder reads (decompressed) files from the start, and the count is where a
 * restored reader resumes, which works for compressed files too, where byte offsets of the file
 * itself cannot be sought.
 */
final class LineCursor implements Closeable {
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final ReadableByteChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private long consumed;
  private boolean eof;

  private LineCursor(ReadableByteChannel channel, long consumed) {
    this.channel = channel;
    this.consumed = consumed;
    buffer.flip();
  }

  /** A cursor {@code offset} bytes into {@code channel}: 0 for the start of the file. */
  static LineCursor at(ReadableByteChannel channel, long offset) throws IOException {
    LineCursor cursor = new LineCursor(channel, 0);
    if (offset == 0) {
      cursor.skipBom();
    }
    while (cursor.consumed < offset && cursor.next() >= 0) {
      // skipping what was read before the checkpoint
    }
    return cursor;
  }

  /**
   * A cursor over {@code channel} as it stands, already {@code position} bytes into its file: no
   * byte order mark is looked for and nothing is skipped.
   */
  static LineCursor positionedAt(ReadableByteChannel channel, long position) {
    return new LineCursor(channel, position);
  }

  /** Skips to the start of the next line: past the first terminator. */
  void skipLine() throws IOException {
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

  /** Bytes consumed so far: the offset of the next line. */
  long offset() {
    return consumed;
  }

  /** The next line, or null at the end of the file. */
  @Nullable String nextLine() throws IOException {
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
      return null;
    }
    return Payloads.fromBytes(line.toByteArray());
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void skipBom() throws IOException {
    for (int i = 0; i < UTF8_BOM.length; i++) {
      if (!fill() || buffer.remaining() <= i || buffer.get(buffer.position() + i) != UTF8_BOM[i]) {
        return;
      }
    }
    buffer.position(buffer.position() + UTF8_BOM.length);
    consumed += UTF8_BOM.length;
  }

  private int next() throws IOException {
    if (!fill()) {
      return -1;
    }
    consumed++;
    return buffer.get() & 0xFF;
  }

  private int peek() throws IOException {
    return fill() ? buffer.get(buffer.position()) & 0xFF : -1;
  }

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
