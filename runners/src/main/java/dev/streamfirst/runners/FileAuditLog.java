package dev.streamfirst.runners;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/** An audit log in a local file: one JSON line per run, appended under an exclusive lock. */
final class FileAuditLog extends AuditLog {
  private final Path path;

  private FileAuditLog(Path path) {
    this.path = path;
  }

  /**
   * @throws IllegalArgumentException if {@code uri} names a directory or a file in a directory that
   *     does not exist
   */
  static FileAuditLog of(String uri) {
    Path path = Paths.get(uri.substring("file://".length()));
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException(
          "--auditLog=" + uri + " is a directory; name a file in it, e.g. " + EXAMPLE);
    }
    Path parent = path.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IllegalArgumentException(
          "--auditLog=" + uri + ": directory " + parent + " does not exist; create it first");
    }
    return new FileAuditLog(path);
  }

  @Override
  String describe() {
    return path.toString();
  }

  @Override
  void append(ObjectNode record) throws IOException {
    byte[] line = (record.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel =
            FileChannel.open(
                path,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        FileLock lock = channel.lock()) {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    }
  }
}
