package dev.streamfirst.io.file;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads local text files line by line: one element per line, exactly as written, without the line
 * terminator ({@code \n}, {@code \r\n} or {@code \r}). Blank lines are kept; parsing skips them.
 *
 * <p>The path is a file, a directory (every file directly in it, not in subdirectories) or a glob
 * such as {@code /data/in/*.jsonl} or {@code /data/in/**}. A pattern that matches no file fails the
 * pipeline when it starts, with a message naming the pattern: an empty input is more often a wrong
 * path than an intent. Compressed files ({@code .gz}, {@code .bz2}, ...) are read by their
 * extension.
 *
 * <pre>{@code
 * PCollection<String> lines = p.apply("ReadEvents", FileSource.from("/data/in/*.jsonl"));
 * // or, from a URI option:
 * p.apply("ReadEvents", Sources.read("file:///data/in"));
 * }</pre>
 */
@AutoValue
public abstract class FileSource extends PTransform<PBegin, PCollection<String>> {
  /** The URI scheme this source answers to. */
  public static final String SCHEME = FilePaths.SCHEME;

  /** A valid URI, for error messages. */
  public static final String EXAMPLE = "file:///abs/dir/or/glob";

  /** The pattern handed to Beam: the path as given, or {@code dir/*} for a directory. */
  public abstract String filePattern();

  /**
   * Reads {@code path}: an absolute file, directory or glob. Whether a path is a directory is
   * decided now, on the launching machine's file system.
   */
  public static FileSource from(String path) {
    FilePaths.requireAbsolute(path, "a file source path", EXAMPLE);
    return new AutoValue_FileSource(toPattern(path));
  }

  /** Reads the path of a {@code file:///abs/path} URI. */
  public static FileSource fromUri(IoUri uri) {
    return from(FilePaths.absolutePath(uri, EXAMPLE));
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    return begin.apply(
        "ReadLines",
        TextIO.read().from(filePattern()).withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("filePattern", filePattern()).withLabel("File pattern"));
  }

  private static String toPattern(String path) {
    if (path.endsWith("/")) {
      return path + "*";
    }
    if (!FilePaths.isGlob(path) && isDirectory(path)) {
      return path + "/*";
    }
    return path;
  }

  private static boolean isDirectory(String path) {
    try {
      return Files.isDirectory(Paths.get(path));
    } catch (InvalidPathException e) {
      return false;
    }
  }
}
