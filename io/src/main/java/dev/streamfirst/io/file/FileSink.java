package dev.streamfirst.io.file;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.transforms.time.Durations;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.joda.time.format.ISODateTimeFormat;

/**
 * Writes each element as one line of JSON-lines files under a local directory.
 *
 * <p>A bounded input is written once, when it is complete: {@code part-00000-of-00002.jsonl},
 * {@code part-00001-of-00002.jsonl}. An unbounded input is written in batches: every {@link
 * #flushEvery()} of processing time the elements received so far go to new files, named with the
 * launch time and the pane index so no batch (and no later run) replaces another: {@code
 * part-20260101T120000Z-pane-3-00000-of-00001.jsonl}. The batches are cut in the global window on
 * purpose: upstream event-time windows may emit early, on-time and late panes, and re-windowing
 * them here means every pane is written, none is dropped for lateness. When an unbounded input ends
 * (its watermark reaches the end of time) the remainder is written at once.
 *
 * <pre>{@code
 * rows.apply("WriteRows", FileSink.to("/data/out").withFlushEvery(Duration.standardSeconds(10)));
 * // or, from a URI option:
 * rows.apply("WriteRows", Sinks.write("file:///data/out"));
 * }</pre>
 */
@AutoValue
public abstract class FileSink extends PTransform<PCollection<String>, PDone> {
  /** The URI scheme this sink answers to. */
  public static final String SCHEME = FilePaths.SCHEME;

  /** A valid URI, for error messages. */
  public static final String EXAMPLE = "file:///abs/dir";

  /** Files are named {@code part-<shard>.jsonl} (plus window and pane for unbounded inputs). */
  public static final String FILE_PREFIX = "part";

  public static final String SUFFIX = ".jsonl";

  // P is the pane ("pane-3", "pane-7-last"): each flush of the global window gets new files.
  private static final String STREAMING_SHARD_TEMPLATE = "-P-SSSSS-of-NNNNN";

  /** How often an unbounded input is written out, unless set otherwise. */
  public static final Duration DEFAULT_FLUSH_EVERY = Duration.standardSeconds(5);

  /** Shards per batch for unbounded input, unless set otherwise: one file per flush. */
  public static final int DEFAULT_STREAMING_SHARDS = 1;

  public abstract String directory();

  /** Files per write; 0 lets the runner choose for bounded input. */
  public abstract int numShards();

  public abstract Duration flushEvery();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setDirectory(String directory);

    abstract Builder setNumShards(int numShards);

    abstract Builder setFlushEvery(Duration flushEvery);

    abstract FileSink build();
  }

  /** Writes under {@code directory}, an absolute local path that need not exist yet. */
  public static FileSink to(String directory) {
    FilePaths.requireAbsolute(directory, "a file sink directory", EXAMPLE);
    if (FilePaths.isGlob(directory)) {
      throw new IllegalArgumentException(
          "a file sink writes to a directory, not a glob: got '"
              + directory
              + "'; e.g. "
              + EXAMPLE);
    }
    String trimmed = directory.length() > 1 ? directory.replaceAll("/+$", "") : directory;
    return new AutoValue_FileSink.Builder()
        .setDirectory(trimmed.isEmpty() ? "/" : trimmed)
        .setNumShards(0)
        .setFlushEvery(DEFAULT_FLUSH_EVERY)
        .build();
  }

  /** Writes under the directory of a {@code file:///abs/dir} URI. */
  public static FileSink fromUri(IoUri uri) {
    if (!uri.query().isEmpty()) {
      throw new IllegalArgumentException(
          "a file sink takes no query, got '?"
              + uri.query()
              + "' in '"
              + uri
              + "'; e.g. "
              + EXAMPLE);
    }
    return to(FilePaths.absolutePath(uri, EXAMPLE));
  }

  /**
   * A fixed number of files per write. Unbounded inputs always use a fixed number ({@value
   * #DEFAULT_STREAMING_SHARDS} unless set), because windowed file writes need one.
   */
  public FileSink withNumShards(int numShards) {
    if (numShards <= 0) {
      throw new IllegalArgumentException("withNumShards() must be positive, got " + numShards);
    }
    return toBuilder().setNumShards(numShards).build();
  }

  /** How much processing time an unbounded input collects before it is written out. */
  public FileSink withFlushEvery(Duration flushEvery) {
    if (flushEvery == null || flushEvery.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "withFlushEvery() must be positive, got "
              + (flushEvery == null ? "null" : Durations.format(flushEvery)));
    }
    return toBuilder().setFlushEvery(flushEvery).build();
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    String prefix = (directory().equals("/") ? "" : directory()) + "/" + FILE_PREFIX;
    if (lines.isBounded() == PCollection.IsBounded.BOUNDED) {
      TextIO.Write write = TextIO.write().to(prefix).withSuffix(SUFFIX);
      return lines.apply(
          "WriteJsonLines", numShards() > 0 ? write.withNumShards(numShards()) : write);
    }
    int shards = numShards() > 0 ? numShards() : DEFAULT_STREAMING_SHARDS;
    // Pane indices restart at 0 with every run; the launch time in the name keeps a restarted
    // stream from overwriting the files of the previous run in the same directory.
    String launched =
        Instant.now().toString(ISODateTimeFormat.basicDateTimeNoMillis().withZoneUTC());
    TextIO.Write write =
        TextIO.write()
            .to(prefix + "-" + launched)
            .withShardNameTemplate(STREAMING_SHARD_TEMPLATE)
            .withSuffix(SUFFIX);
    return lines
        .apply(
            "BatchByProcessingTime",
            Window.<String>into(new GlobalWindows())
                .triggering(
                    Repeatedly.forever(
                        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(flushEvery())))
                .discardingFiredPanes()
                .withAllowedLateness(Duration.ZERO))
        .apply("WriteJsonLines", write.withWindowedWrites().withNumShards(shards));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("directory", directory()).withLabel("Output directory"))
        .add(DisplayData.item("numShards", numShards()).withLabel("Files per write (0 = auto)"))
        .add(
            DisplayData.item("flushEvery", Durations.format(flushEvery()))
                .withLabel("Unbounded input written every"));
  }
}
