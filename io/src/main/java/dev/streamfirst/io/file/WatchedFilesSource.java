package dev.streamfirst.io.file;

import dev.streamfirst.transforms.events.EventFields;
import dev.streamfirst.transforms.events.EventParser;
import dev.streamfirst.transforms.events.InvalidEventException;
import dev.streamfirst.transforms.time.Durations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The lines of the files matching a pattern, matched again at an interval, each line stamped with
 * its event time and the watermark following the events' own times.
 *
 * <p>Each look at the folder that finds new files starts a batch: its files are read in name order,
 * one after the other. The watermark moves only when a batch has been read to its end, to the
 * latest event time read so far minus {@code maxDisorder} (never back). So every event of one batch
 * is on time, whatever the order of files and lines in it (the files already there when the watch
 * starts are read as a bounded read would read them), and an event of a later file is late only if
 * it is more than {@code maxDisorder} older than the newest event read before it. An event dated
 * ahead of the wall clock moves the watermark no further than the clock, as on Kafka. A line whose
 * time cannot be read is stamped with the latest event time seen (it is never late) and parsing
 * makes it a dead letter.
 *
 * <p>A quiet folder does not move the watermark: the events are the only clock, so a folder of past
 * events and one of live events are read alike. The last windows close when a newer file arrives or
 * when the watch ends ({@code stopAfterIdle}: no new file for that long, counted in wall clock time
 * from the start of the watch or the last new file), which moves the watermark to the end of time.
 *
 * <p>One reader reads the folder: the order of files is what makes the watermark meaningful. The
 * files read are kept in the checkpoint by name, with the position in the file being read, so a
 * restored job reads on from there and reads no file twice.
 */
final class WatchedFilesSource extends UnboundedSource<String, WatchCheckpoint> {
  private final String pattern;
  private final Duration interval;
  private final @Nullable Duration stopAfterIdle;
  private final String timestampField;
  private final Duration maxDisorder;
  private final EventParser times;

  WatchedFilesSource(
      String pattern,
      Duration interval,
      @Nullable Duration stopAfterIdle,
      String timestampField,
      Duration maxDisorder) {
    this.pattern = pattern;
    this.interval = interval;
    this.stopAfterIdle = stopAfterIdle;
    this.timestampField = timestampField;
    this.maxDisorder = maxDisorder;
    this.times = new EventParser(EventFields.defaults().withTimestampField(timestampField));
  }

  @Override
  public List<WatchedFilesSource> split(int desiredNumSplits, PipelineOptions options) {
    // One reader: the watermark is only as good as the order it reads the files in.
    return List.of(this);
  }

  @Override
  public Reader createReader(PipelineOptions options, @Nullable WatchCheckpoint checkpoint) {
    return new Reader(this, checkpoint);
  }

  @Override
  public Coder<WatchCheckpoint> getCheckpointMarkCoder() {
    return WatchCheckpoint.Coder.of();
  }

  @Override
  public Coder<String> getOutputCoder() {
    return StringUtf8Coder.of();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("filePattern", pattern).withLabel("File pattern"))
        .add(DisplayData.item("watch", Durations.format(interval)).withLabel("Matched again every"))
        .add(
            DisplayData.item(
                    "stopAfter", stopAfterIdle == null ? "never" : Durations.format(stopAfterIdle))
                .withLabel("Stops after no new file for"))
        .add(DisplayData.item("tsField", timestampField).withLabel("Event time field"))
        .add(
            DisplayData.item("maxDisorder", Durations.format(maxDisorder))
                .withLabel("Max disorder (watermark lag)"));
  }

  /** Reads the batches of new files one line at a time. */
  static final class Reader extends UnboundedReader<String> {
    private final WatchedFilesSource source;
    private final SortedSet<String> done;
    private final List<String> pending;
    private long offset;
    private Instant watermark;
    private Instant latest;
    private Instant lastNewFile;
    private long nextPollMillis;
    private boolean finished;
    private @Nullable LineCursor cursor;
    private @Nullable String current;
    private @Nullable Instant currentTimestamp;

    Reader(WatchedFilesSource source, @Nullable WatchCheckpoint checkpoint) {
      this.source = source;
      if (checkpoint == null) {
        done = new TreeSet<>();
        pending = new ArrayList<>();
        offset = 0;
        watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;
        latest = BoundedWindow.TIMESTAMP_MIN_VALUE;
        lastNewFile = Instant.now();
      } else {
        done = new TreeSet<>(checkpoint.done());
        pending = new ArrayList<>(checkpoint.pending());
        offset = checkpoint.offset();
        watermark = checkpoint.watermark();
        latest = checkpoint.latest();
        lastNewFile = checkpoint.lastNewFile();
      }
    }

    @Override
    public boolean start() throws IOException {
      return advance();
    }

    @Override
    public boolean advance() throws IOException {
      current = null;
      currentTimestamp = null;
      while (true) {
        if (!pending.isEmpty()) {
          String line = nextLine();
          if (line != null) {
            current = line;
            currentTimestamp = stamp(line);
            return true;
          }
          continue;
        }
        if (finished || System.currentTimeMillis() < nextPollMillis) {
          return false;
        }
        poll();
        if (pending.isEmpty()) {
          Duration idle = source.stopAfterIdle;
          finished = idle != null && !Instant.now().isBefore(lastNewFile.plus(idle));
          return false;
        }
      }
    }

    /** The next line of the batch, moving on to its next file (and past its end) as needed. */
    private @Nullable String nextLine() throws IOException {
      if (cursor == null) {
        cursor = open(pending.get(0), offset);
      }
      String line = cursor == null ? null : cursor.nextLine();
      if (line != null) {
        offset = cursor.offset();
        return line;
      }
      if (cursor != null) {
        cursor.close();
        cursor = null;
      }
      done.add(pending.remove(0));
      offset = 0;
      if (pending.isEmpty() && latest.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
        // The batch is read: every event of it was on time, and the next batch may be out of
        // order by up to maxDisorder behind the newest event so far.
        Instant candidate = latest.minus(source.maxDisorder);
        if (candidate.isAfter(watermark)) {
          watermark = candidate;
        }
      }
      return null;
    }

    /** Null when the file went away since it was found: there is nothing of it left to read. */
    private @Nullable LineCursor open(String file, long at) throws IOException {
      ResourceId id = FileSystems.matchNewResource(file, false);
      try {
        return LineCursor.at(Compression.detect(file).readDecompressed(FileSystems.open(id)), at);
      } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
        return null;
      }
    }

    private Instant stamp(String line) {
      Instant eventTime;
      try {
        eventTime = source.times.eventTime(line);
      } catch (InvalidEventException e) {
        // Stamped so that it is not late; parsing says what is wrong with it.
        return latest.isAfter(watermark) ? latest : watermark;
      }
      long nowMillis = System.currentTimeMillis();
      Instant evidence = eventTime.getMillis() > nowMillis ? new Instant(nowMillis) : eventTime;
      if (evidence.isAfter(latest)) {
        latest = evidence;
      }
      return eventTime;
    }

    private void poll() throws IOException {
      nextPollMillis = System.currentTimeMillis() + source.interval.getMillis();
      MatchResult match = FileSystems.match(source.pattern, EmptyMatchTreatment.ALLOW);
      if (match.status() == MatchResult.Status.NOT_FOUND) {
        return;
      }
      if (match.status() != MatchResult.Status.OK) {
        throw new IOException("cannot list " + source.pattern + ": " + match.status());
      }
      TreeSet<String> found = new TreeSet<>();
      for (MatchResult.Metadata file : match.metadata()) {
        String name = file.resourceId().toString();
        if (!file.resourceId().isDirectory() && !done.contains(name)) {
          found.add(name);
        }
      }
      if (!found.isEmpty()) {
        pending.addAll(found);
        offset = 0;
        lastNewFile = Instant.now();
      }
    }

    @Override
    public String getCurrent() {
      if (current == null) {
        throw new NoSuchElementException("no current line: start() or advance() was false");
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (currentTimestamp == null) {
        throw new NoSuchElementException("no current line: start() or advance() was false");
      }
      return currentTimestamp;
    }

    @Override
    public Instant getWatermark() {
      return finished ? BoundedWindow.TIMESTAMP_MAX_VALUE : watermark;
    }

    @Override
    public WatchCheckpoint getCheckpointMark() {
      return new WatchCheckpoint(
          new TreeSet<>(done), List.copyOf(pending), offset, watermark, latest, lastNewFile);
    }

    @Override
    public WatchedFilesSource getCurrentSource() {
      return source;
    }

    @Override
    public void close() throws IOException {
      if (cursor != null) {
        cursor.close();
        cursor = null;
      }
    }
  }
}
