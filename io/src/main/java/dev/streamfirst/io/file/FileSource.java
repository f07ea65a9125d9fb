package dev.streamfirst.io.file;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.transforms.time.Durations;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.CompressedSource;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.ReadAllViaFileBasedSource;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Watch;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Reads local text files line by line: one element per line, exactly as written, without the line
 * terminator ({@code \n}, {@code \r\n} or {@code \r}). Blank lines are kept; parsing skips them.
 * Lines are decoded strictly ({@link Utf8LineSource}): a line that is not valid UTF-8 is handed on
 * undecoded, and parsing makes it a dead letter with its exact bytes.
 *
 * <p>The path is a file, a directory (every file directly in it, not in subdirectories) or a glob
 * such as {@code /data/in/*.jsonl} or {@code /data/in/**}. A pattern that matches no file fails the
 * pipeline when it starts, with a message naming the pattern: an empty input is more often a wrong
 * path than an intent. Compressed files ({@code .gz}, {@code .bz2}, ...) are read by their
 * extension.
 *
 * <p><b>Continuous</b> ({@link #watchEvery}, URI {@code ?watch=10s}): the pattern is matched again
 * at that interval and every new file is read once, so the output is unbounded. A file should
 * appear whole (written elsewhere, then moved in), because it is read once, when first seen. It
 * goes on until cancelled, or, with {@link #stopAfterIdle} ({@code &stopAfter=5m}), until no new
 * file has appeared for that long, counted from the start when none ever appears. An empty match is
 * fine here: files are expected later.
 *
 * <pre>{@code
 * PCollection<String> lines = p.apply("ReadEvents", FileSource.from("/data/in/*.jsonl"));
 * // or, from a URI option:
 * p.apply("ReadEvents", Sources.read("file:///data/in"));
 * p.apply("ReadEvents", Sources.read("file:///data/in?watch=10s"));
 * }</pre>
 */
@AutoValue
public abstract class FileSource extends PTransform<PBegin, PCollection<String>> {
  /** The URI scheme this source answers to. */
  public static final String SCHEME = FilePaths.SCHEME;

  /** A valid URI, for error messages. */
  public static final String EXAMPLE = "file:///abs/dir/or/glob";

  /** Query parameters of a {@code file:} source URI, with an example value. */
  private static final Map<String, String> PARAMETERS = new LinkedHashMap<>();

  static {
    PARAMETERS.put("watch", "10s");
    PARAMETERS.put("stopAfter", "5m");
  }

  /** The pattern handed to Beam: the path as given, or {@code dir/*} for a directory. */
  public abstract String filePattern();

  /** How often the pattern is matched again for new files; null for a one-off, bounded read. */
  public abstract @Nullable Duration watchInterval();

  /** With watching: stop once no new file has appeared for this long; null to never stop. */
  public abstract @Nullable Duration stopAfterIdle();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setFilePattern(String pattern);

    abstract Builder setWatchInterval(@Nullable Duration interval);

    abstract Builder setStopAfterIdle(@Nullable Duration idle);

    abstract FileSource build();
  }

  /**
   * Reads {@code path}: an absolute file, directory or glob. Whether a path is a directory is
   * decided now, on the launching machine's file system.
   */
  public static FileSource from(String path) {
    FilePaths.requireAbsolute(path, "a file source path", EXAMPLE);
    return new AutoValue_FileSource.Builder().setFilePattern(toPattern(path)).build();
  }

  /**
   * Reads the path of a {@code file:///abs/path} URI; {@code ?watch=10s} makes it continuous and
   * {@code &stopAfter=5m} ends that after so long without a new file.
   */
  public static FileSource fromUri(IoUri uri) {
    FileSource source = from(FilePaths.absolutePath(uri, EXAMPLE));
    int query = FilePaths.queryStart(uri.body());
    if (query < 0) {
      return source;
    }
    String withQuery = EXAMPLE + "?watch=10s";
    Map<String, String> parameters =
        IoUri.parse("file://?" + uri.body().substring(query + 1)).queryParameters();
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      String name = parameter.getKey();
      if (!PARAMETERS.containsKey(name)) {
        throw new IllegalArgumentException(
            "unknown parameter '"
                + name
                + "' in '"
                + uri
                + "'; known: "
                + String.join(", ", PARAMETERS.keySet())
                + "; e.g. "
                + withQuery
                + "&stopAfter=5m");
      }
      Duration duration;
      try {
        duration = Durations.parse(parameter.getValue());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "parameter '"
                + name
                + "' in '"
                + uri
                + "' must be a duration such as "
                + Durations.EXAMPLES
                + ", got '"
                + parameter.getValue()
                + "'; e.g. "
                + withQuery);
      }
      if (duration.getMillis() <= 0) {
        throw new IllegalArgumentException(
            "parameter '" + name + "' in '" + uri + "' must be positive; e.g. " + withQuery);
      }
    }
    if (!parameters.containsKey("watch")) {
      throw new IllegalArgumentException(
          "parameter 'stopAfter' in '"
              + uri
              + "' needs watch=<interval>; e.g. "
              + withQuery
              + "&stopAfter=5m");
    }
    source = source.watchEvery(Durations.parse(parameters.get("watch")));
    if (parameters.containsKey("stopAfter")) {
      source = source.stopAfterIdle(Durations.parse(parameters.get("stopAfter")));
    }
    return source;
  }

  /** Keeps matching the pattern every {@code interval} and reads each new file: unbounded. */
  public FileSource watchEvery(Duration interval) {
    if (interval == null || interval.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "watchEvery() must be positive, got "
              + (interval == null ? "null" : Durations.format(interval)));
    }
    return toBuilder().setWatchInterval(interval).build();
  }

  /** Ends a watching read once no new file has appeared for {@code idle}. */
  public FileSource stopAfterIdle(Duration idle) {
    if (idle == null || idle.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "stopAfterIdle() must be positive, got "
              + (idle == null ? "null" : Durations.format(idle)));
    }
    if (watchInterval() == null) {
      throw new IllegalArgumentException(
          "stopAfterIdle() applies to a watching read; call watchEvery() first");
    }
    return toBuilder().setStopAfterIdle(idle).build();
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    Duration interval = watchInterval();
    if (interval == null) {
      return begin.apply("ReadLines", new ReadLines(filePattern()));
    }
    Duration idle = stopAfterIdle();
    Watch.Growth.TerminationCondition<String, ?> stop =
        idle == null ? Watch.Growth.never() : new StopWhenIdle<>(idle);
    return begin.apply("WatchLines", new WatchLines(filePattern(), interval, stop));
  }

  /**
   * Reads the lines of the files matching a pattern once. The steps are named as in {@code
   * TextIO.read()}, which this replaced, so state and metrics keep their names.
   */
  private static final class ReadLines extends PTransform<PBegin, PCollection<String>> {
    private final String pattern;

    ReadLines(String pattern) {
      this.pattern = pattern;
    }

    @Override
    public PCollection<String> expand(PBegin begin) {
      return begin.apply(
          "Read",
          Read.from(
              CompressedSource.from(
                      new Utf8LineSource(
                          StaticValueProvider.of(pattern), EmptyMatchTreatment.DISALLOW))
                  .withCompression(Compression.AUTO)));
    }
  }

  /**
   * Reads the lines of every new file matching a pattern, matching it again at an interval; steps
   * named as in {@code TextIO.read().watchForNewFiles(...)}.
   */
  private static final class WatchLines extends PTransform<PBegin, PCollection<String>> {
    private final String pattern;
    private final Duration interval;
    private final Watch.Growth.TerminationCondition<String, ?> stop;

    WatchLines(
        String pattern, Duration interval, Watch.Growth.TerminationCondition<String, ?> stop) {
      this.pattern = pattern;
      this.interval = interval;
      this.stop = stop;
    }

    @Override
    public PCollection<String> expand(PBegin begin) {
      return begin
          .apply("Create filepattern", Create.of(pattern).withCoder(StringUtf8Coder.of()))
          .apply(
              "Match All",
              FileIO.matchAll()
                  // Files are expected to come later: an empty directory at start is not a mistake.
                  .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW)
                  .continuously(interval, stop))
          .apply(
              "Read Matches",
              FileIO.readMatches()
                  .withCompression(Compression.AUTO)
                  .withDirectoryTreatment(FileIO.ReadMatches.DirectoryTreatment.PROHIBIT))
          .apply("Via ReadFiles", new ReadFiles());
    }
  }

  private static final class ReadFiles
      extends PTransform<PCollection<FileIO.ReadableFile>, PCollection<String>> {
    // As TextIO: files are read in ranges of this size, so a large file is read in parallel.
    private static final long RANGE_BYTES = 64L * 1024 * 1024;

    @Override
    public PCollection<String> expand(PCollection<FileIO.ReadableFile> files) {
      return files.apply(
          "Read all via FileBasedSource",
          new ReadAllViaFileBasedSource<>(RANGE_BYTES, ReadFiles::source, StringUtf8Coder.of()));
    }

    private static Utf8LineSource source(String file) {
      return new Utf8LineSource(StaticValueProvider.of(file), EmptyMatchTreatment.DISALLOW);
    }
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("filePattern", filePattern()).withLabel("File pattern"));
    Duration interval = watchInterval();
    if (interval != null) {
      Duration idle = stopAfterIdle();
      builder
          .add(
              DisplayData.item("watch", Durations.format(interval))
                  .withLabel("Matched again every"))
          .add(
              DisplayData.item("stopAfter", idle == null ? "never" : Durations.format(idle))
                  .withLabel("Stops after no new file for"));
    }
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
