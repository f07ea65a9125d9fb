package dev.streamfirst.transforms.dedup;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes and reads arrays of longs and ints in one piece, little-endian, the byte order of the
 * machines workers run on: the copy is a block move rather than one call and a byte swap per value,
 * which matters because dedup's state is copied by encoding and decoding it (Flink's heap backend
 * does so for every group touched while a checkpoint is written).
 */
final class PrimitiveArrays {
  private PrimitiveArrays() {}

  static void writeLongs(long[] values, int count, OutputStream out) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(count * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(values, 0, count);
    out.write(bytes.array());
  }

  static long[] readLongs(int count, InputStream in) throws IOException {
    long[] values = new long[count];
    readBytes(count * Long.BYTES, in).asLongBuffer().get(values);
    return values;
  }

  static void writeInts(int[] values, int count, OutputStream out) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(count * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asIntBuffer().put(values, 0, count);
    out.write(bytes.array());
  }

  static int[] readInts(int count, InputStream in) throws IOException {
    int[] values = new int[count];
    readBytes(count * Integer.BYTES, in).asIntBuffer().get(values);
    return values;
  }

  static byte[] readFully(int count, InputStream in) throws IOException {
    byte[] bytes = new byte[count];
    new DataInputStream(in).readFully(bytes);
    return bytes;
  }

  private static ByteBuffer readBytes(int count, InputStream in) throws IOException {
    return ByteBuffer.wrap(readFully(count, in)).order(ByteOrder.LITTLE_ENDIAN);
  }
}
