package dev.streamfirst.io.file;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local directory a {@link FileSink} writes to, looked at before a run starts: whether it can
 * be written at all, and whether an earlier run's output is in it. Files of two runs side by side
 * mix silently (a bounded write's shard count differs run to run), so a launcher refuses a
 * directory that holds output unless the user asks to replace it.
 *
 * <pre>{@code
 * OutputDirectory dir = OutputDirectory.of(fileSink);
 * dir.problem(overwrite).ifPresent(p -> fail("--sink: " + p));
 * if (overwrite) dir.clear();
 * }</pre>
 */
public final class OutputDirectory {
  /** Beam's file writes stage their shards here first and move them in when done. */
  static final String TEMP_PREFIX = ".temp-beam";

  private final Path directory;

  private OutputDirectory(Path directory) {
    this.directory = directory;
  }

  public static OutputDirectory of(FileSink sink) {
    return new OutputDirectory(Paths.get(sink.directory()));
  }

  public Path path() {
    return directory;
  }

  /**
   * What stops a run from writing here, in words, or empty if nothing does. With {@code overwrite},
   * an earlier run's output is no problem (it is {@link #clear}ed), but files this sink did not
   * write still are: they are never deleted.
   */
  public Optional<String> problem(boolean overwrite) {
    Path existing = directory;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return Optional.of("no part of " + directory + " exists");
    }
    if (!Files.isDirectory(existing)) {
      return Optional.of(
          existing
              + " is a file, not a directory, so "
              + directory
              + " cannot be created; choose a directory");
    }
    if (!Files.isWritable(existing)) {
      return Optional.of(
          (existing.equals(directory) ? "" : directory + " cannot be created: ")
              + existing
              + " is not writable; choose a directory you can write to");
    }
    if (!existing.equals(directory)) {
      return cannotMakeDirectoryIn(existing);
    }
    List<Path> entries;
    try {
      entries = entries();
    } catch (IOException e) {
      return Optional.of("cannot list " + directory + ": " + e.getMessage());
    }
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    List<Path> foreign = entries.stream().filter(p -> !isOurs(p)).toList();
    if (!foreign.isEmpty()) {
      return Optional.of(
          directory
              + " holds files this sink did not write ("
              + names(foreign)
              + "); choose an empty or new directory");
    }
    if (overwrite) {
      return Optional.empty();
    }
    return Optional.of(
        directory
            + " holds an earlier run's output ("
            + names(entries)
            + "); add --overwrite to replace it, or choose an empty or new directory");
  }

  /**
   * Permission bits do not tell everything (root passes them everywhere, yet {@code /proc} takes no
   * directory): making one, and removing it at once, is the only sure test.
   */
  private Optional<String> cannotMakeDirectoryIn(Path existing) {
    try {
      Files.delete(Files.createTempDirectory(existing, ".streamfirst-probe"));
      return Optional.empty();
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.of(
          directory
              + " cannot be created: no directory can be made in "
              + existing
              + " ("
              + e
              + "); choose a directory you can write to");
    }
  }

  /** Whether an earlier run's output is in the directory. */
  public boolean holdsOutput() {
    try {
      return entries().stream().anyMatch(OutputDirectory::isOurs);
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes an earlier run's output files and Beam's staging folders, nothing else. */
  public void clear() throws IOException {
    for (Path entry : entries()) {
      if (isOurs(entry)) {
        deleteRecursively(entry);
      }
    }
  }

  /** Deletes only Beam's staging folders, left behind when a run is stopped mid-write. */
  public void clearStaging() throws IOException {
    for (Path entry : entries()) {
      if (entry.getFileName().toString().startsWith(TEMP_PREFIX)) {
        deleteRecursively(entry);
      }
    }
  }

  /** What the sink's files in the directory hold now: how many files, how many lines. */
  public Written written() throws IOException {
    long files = 0;
    long lines = 0;
    for (Path entry : entries()) {
      String name = entry.getFileName().toString();
      if (Files.isRegularFile(entry) && !name.startsWith(TEMP_PREFIX) && isOurs(entry)) {
        files++;
        try (Stream<String> text = Files.lines(entry)) {
          lines += text.filter(l -> !l.isEmpty()).count();
        }
      }
    }
    return new Written(files, lines);
  }

  /** The files of a sink in its directory and the lines (elements) in them. */
  public record Written(long files, long lines) {}

  private List<Path> entries() throws IOException {
    List<Path> entries = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return entries;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      stream.forEach(entries::add);
    }
    entries.sort(Comparator.naturalOrder());
    return entries;
  }

  private static boolean isOurs(Path entry) {
    String name = entry.getFileName().toString();
    return (name.startsWith(FileSink.FILE_PREFIX + "-") && name.endsWith(FileSink.SUFFIX))
        || name.startsWith(TEMP_PREFIX);
  }

  private static String names(List<Path> entries) {
    String first = entries.get(0).getFileName().toString();
    return entries.size() == 1 ? first : first + " and " + (entries.size() - 1) + " more";
  }

  private static void deleteRecursively(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
