package dev.streamfirst.io.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The watched folder's reader: event times, the watermark after each batch, and restores. */
public class WatchedFilesSourceTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private static String event(String id, Instant ts) {
    return "{\"id\":\"" + id + "\",\"key\":\"k\",\"ts\":\"" + ts + "\",\"value\":1}";
  }

  private static WatchedFilesSource source(Path dir, Duration maxDisorder, Duration stopAfter) {
    return new WatchedFilesSource(dir + "/*", Duration.millis(1), stopAfter, "ts", maxDisorder);
  }

  /** Lines (with their timestamps) until the reader has nothing more right now. */
  private static List<String> drain(WatchedFilesSource.Reader reader, boolean started)
      throws Exception {
    List<String> lines = new ArrayList<>();
    boolean more = started ? reader.advance() : reader.start();
    while (more) {
      lines.add(reader.getCurrent() + "@" + reader.getCurrentTimestamp());
      more = reader.advance();
    }
    return lines;
  }

  @Test
  public void pastEvents_areStampedWithTheirOwnTimes_andOnTimeWithinABatch() throws Exception {
    Path in = tmp.newFolder("in").toPath();
    // Name order puts the newer file first: within a batch that must not make anything late.
    Files.write(in.resolve("a.jsonl"), List.of(event("2", T0.plus(60_000))), UTF_8);
    Files.write(in.resolve("b.jsonl"), List.of(event("1", T0), "not json"), UTF_8);
    WatchedFilesSource.Reader reader =
        source(in, Duration.standardSeconds(30), null).createReader(OPTIONS, null);

    assertTrue(reader.start());
    assertEquals(T0.plus(60_000), reader.getCurrentTimestamp());
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, reader.getWatermark());
    assertTrue(reader.advance());
    assertEquals(T0, reader.getCurrentTimestamp());
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, reader.getWatermark());
    assertTrue(reader.advance());
    assertEquals("not json", reader.getCurrent());
    // A line without a readable time is never late: it carries the latest event time.
    assertEquals(T0.plus(60_000), reader.getCurrentTimestamp());
    assertFalse(reader.advance());
    // The batch is read: the watermark is the newest event time minus maxDisorder.
    assertEquals(T0.plus(30_000), reader.getWatermark());
    reader.close();
  }

  @Test
  public void laterFile_isBehindTheWatermarkOnlyForEventsOlderThanTheDisorder() throws Exception {
    Path in = tmp.newFolder("in").toPath();
    Files.write(in.resolve("a.jsonl"), List.of(event("1", T0.plus(600_000))), UTF_8);
    WatchedFilesSource.Reader reader =
        source(in, Duration.standardMinutes(1), null).createReader(OPTIONS, null);
    assertEquals(1, drain(reader, false).size());
    Instant watermark = reader.getWatermark();
    assertEquals(T0.plus(540_000), watermark);

    Files.write(
        in.resolve("b.jsonl"),
        List.of(event("2", T0.plus(560_000)), event("3", T0), event("4", T0.plus(700_000))),
        UTF_8);
    Thread.sleep(5);
    List<String> lines = drain(reader, true);

    assertEquals(3, lines.size());
    assertTrue(lines.get(0), lines.get(0).endsWith("@" + T0.plus(560_000)));
    // Ten minutes behind the newest event: behind the watermark, so windows see it as late.
    assertTrue(lines.get(1), lines.get(1).endsWith("@" + T0));
    assertTrue(T0.isBefore(watermark));
    assertEquals(T0.plus(640_000), reader.getWatermark());
    reader.close();
  }

  @Test
  public void restoredReader_goesOnAfterTheLastLineRead_withoutRepeats() throws Exception {
    Path in = tmp.newFolder("in").toPath();
    Files.write(in.resolve("a.jsonl"), List.of(event("1", T0), event("2", T0.plus(1)), ""), UTF_8);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write((event("3", T0.plus(2)) + "\r\n" + event("4", T0.plus(3)) + "\n").getBytes(UTF_8));
    }
    Files.write(in.resolve("b.jsonl.gz"), gz.toByteArray());
    WatchedFilesSource source = source(in, Duration.ZERO, null);

    List<String> all = new ArrayList<>();
    WatchedFilesSource.Reader reader = source.createReader(OPTIONS, null);
    boolean more = reader.start();
    // Restore after every line, through the coder, as a runner does after a failure.
    while (more) {
      all.add(reader.getCurrent());
      WatchCheckpoint mark = reader.getCheckpointMark();
      reader.close();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      WatchCheckpoint.Coder.of().encode(mark, bytes);
      WatchCheckpoint decoded =
          WatchCheckpoint.Coder.of().decode(new ByteArrayInputStream(bytes.toByteArray()));
      assertEquals(mark, decoded);
      reader = source.createReader(OPTIONS, decoded);
      more = reader.advance();
    }
    reader.close();

    assertEquals(
        List.of(
            event("1", T0),
            event("2", T0.plus(1)),
            "",
            event("3", T0.plus(2)),
            event("4", T0.plus(3))),
        all);
    assertEquals(T0.plus(3), reader.getWatermark());
  }

  @Test
  public void noFileEver_endsTheWatchAfterStopAfter() throws Exception {
    Path in = tmp.newFolder("empty").toPath();
    WatchedFilesSource.Reader reader =
        source(in, Duration.ZERO, Duration.millis(200)).createReader(OPTIONS, null);

    assertFalse(reader.start());
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, reader.getWatermark());
    Thread.sleep(250);
    assertFalse(reader.advance());
    assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, reader.getWatermark());
  }
}
