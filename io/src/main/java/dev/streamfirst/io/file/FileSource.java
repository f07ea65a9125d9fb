package dev.streamfirst.io.file;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.io.kafka.KafkaSource;
import dev.streamfirst.transforms.time.Durations;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.io.CompressedSource;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;
import org.apache.beam.sdk.transforms.PTransform;
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
 * <p>A watched folder is read in event time: each line is stamped with the time in its JSON field
 * {@link #timestampField()} ({@code &tsField=ts}), and the watermark trails the latest event time
 * read by {@link #maxDisorder()} ({@code &maxDisorder=30s}, the same default as Kafka's), moving
 * only after all files found by one look at the folder have been read. So the files already there
 * when the watch starts give the rows a bounded read of them gives, and a file that arrives later
 * is late only for its events more than {@code maxDisorder} older than the newest event read before
 * it. See {@link WatchedFilesSource}.
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

  /** The JSON field a watched folder reads event times from unless set otherwise. */
  public static final String DEFAULT_TIMESTAMP_FIELD = KafkaSource.DEFAULT_TIMESTAMP_FIELD;

  /**
   * How far out of order the events of a watched folder may be and still be on time, unless set
   * otherwise: Kafka's default, so a folder and a topic of the same events close windows alike.
   */
  public static final Duration DEFAULT_MAX_DISORDER = KafkaSource.DEFAULT_MAX_DISORDER;

  /** Query parameters of a {@code file:} source URI, with an example value. */
  private static final Map<String, String> PARAMETERS = new LinkedHashMap<>();

  static {
    PARAMETERS.put("watch", "10s");
    PARAMETERS.put("stopAfter", "5m");
    PARAMETERS.put("tsField", "ts");
    PARAMETERS.put("maxDisorder", "30s");
  }

  /** The pattern handed to Beam: the path as given, or {@code dir/*} for a directory. */
  public abstract String filePattern();

  /** How often the pattern is matched again for new files; null for a one-off, bounded read. */
  public abstract @Nullable Duration watchInterval();

  /** With watching: stop once no new file has appeared for this long; null to never stop. */
  public abstract @Nullable Duration stopAfterIdle();

  /** With watching: the JSON field of each line that holds its event time. */
  public abstract String timestampField();

  /** With watching: how far the watermark trails the latest event time read. */
  public abstract Duration maxDisorder();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setFilePattern(String pattern);

    abstract Builder setWatchInterval(@Nullable Duration interval);

    abstract Builder setStopAfterIdle(@Nullable Duration idle);

    abstract Builder setTimestampField(String field);

    abstract Builder setMaxDisorder(Duration maxDisorder);

    abstract FileSource build();
  }

  /**
   * Reads {@code path}: an absolute file, directory or glob. Whether a path is a directory is
   * decided now, on the launching machine's file system.
   */
  public static FileSource from(String path) {
    FilePaths.requireAbsolute(path, "a file source path", EXAMPLE);
    return new AutoValue_FileSource.Builder()
        .setFilePattern(toPattern(path))
        .setTimestampField(DEFAULT_TIMESTAMP_FIELD)
        .setMaxDisorder(DEFAULT_MAX_DISORDER)
        .build();
  }

  /**
   * Reads the path of a {@code file:///abs/path} URI; {@code ?watch=10s} makes it continuous,
   * {@code &stopAfter=5m} ends that after so long without a new file, {@code &tsField=ts} and
   * {@code &maxDisorder=30s} set its event time and watermark.
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
      if (name.equals("tsField")) {
        if (parameter.getValue().isBlank()) {
          throw new IllegalArgumentException(
              "parameter 'tsField' in '" + uri + "' is empty; e.g. " + withQuery + "&tsField=ts");
        }
        continue;
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
      if (duration.getMillis() < 0 || (duration.getMillis() == 0 && !name.equals("maxDisorder"))) {
        throw new IllegalArgumentException(
            "parameter '" + name + "' in '" + uri + "' must be positive; e.g. " + withQuery);
      }
    }
    if (!parameters.containsKey("watch")) {
      String name = parameters.keySet().iterator().next();
      throw new IllegalArgumentException(
          "parameter '"
              + name
              + "' in '"
              + uri
              + "' needs watch=<interval>; e.g. "
              + withQuery
              + "&stopAfter=5m");
    }
    source = source.watchEvery(Durations.parse(parameters.get("watch")));
    if (parameters.containsKey("stopAfter")) {
      source = source.stopAfterIdle(Durations.parse(parameters.get("stopAfter")));
    }
    if (parameters.containsKey("tsField")) {
      source = source.withPayloadTime(parameters.get("tsField"));
    }
    if (parameters.containsKey("maxDisorder")) {
      source = source.withMaxDisorder(Durations.parse(parameters.get("maxDisorder")));
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
    requireWatching("stopAfterIdle()");
    return toBuilder().setStopAfterIdle(idle).build();
  }

  /** A watching read's event time comes from each line's JSON field {@code field}. */
  public FileSource withPayloadTime(String field) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("withPayloadTime() needs a field name, e.g. \"ts\"");
    }
    requireWatching("withPayloadTime()");
    return toBuilder().setTimestampField(field).build();
  }

  /**
   * How far behind the latest event read an event of a later file may be and still be on time: the
   * watermark trails the latest event time by this much.
   */
  public FileSource withMaxDisorder(Duration maxDisorder) {
    if (maxDisorder == null || maxDisorder.getMillis() < 0) {
      throw new IllegalArgumentException(
          "withMaxDisorder() must not be negative, got "
              + (maxDisorder == null ? "null" : Durations.format(maxDisorder)));
    }
    requireWatching("withMaxDisorder()");
    return toBuilder().setMaxDisorder(maxDisorder).build();
  }

  private void requireWatching(String method) {
    if (watchInterval() == null) {
      throw new IllegalArgumentException(
          method
              + " applies to a watching read (a bounded read's watermark waits for all of it);"
              + " call watchEvery() first");
    }
  }

  @Override
  public PCollection<String> expand(PBegin begin) {
    Duration interval = watchInterval();
    if (interval == null) {
      return begin.apply("ReadLines", new ReadLines(filePattern()));
    }
    return begin.apply(
        "WatchLines",
        Read.from(
            new WatchedFilesSource(
                filePattern(), interval, stopAfterIdle(), timestampField(), maxDisorder())));
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
                  .withLabel("Stops after no new file for"))
          .add(DisplayData.item("tsField", timestampField()).withLabel("Event time field"))
          .add(
              DisplayData.item("maxDisorder", Durations.format(maxDisorder()))
                  .withLabel("Max disorder (watermark lag)"));
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
