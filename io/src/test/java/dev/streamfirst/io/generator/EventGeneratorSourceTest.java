package dev.streamfirst.io.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.junit.Test;

public class EventGeneratorSourceTest {
  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();
  private static final Pattern ID = Pattern.compile("\"id\":\"e-(\\d+)\"");

  private static EventGeneratorSource source(String query) {
    return EventGeneratorSource.of(GeneratorSpec.parse("generator://events?" + query));
  }

  /** The next message, waiting out the pacing; false once the reader is exhausted. */
  private static boolean next(EventGeneratorSource.Reader reader, boolean first) {
    boolean available = first ? reader.start() : reader.advance();
    while (!available) {
      if (reader.getWatermark().equals(BoundedWindow.TIMESTAMP_MAX_VALUE)) {
        return false;
      }
      available = reader.advance();
    }
    return true;
  }

  private static List<String> drain(EventGeneratorSource.Reader reader, boolean started) {
    List<String> out = new ArrayList<>();
    boolean first = !started;
    while (next(reader, first)) {
      first = false;
      out.add(reader.getCurrent());
    }
    return out;
  }

  private static GeneratorCheckpoint roundTrip(GeneratorCheckpoint mark) throws Exception {
    return CoderUtils.clone(GeneratorCheckpoint.Coder.of(), mark);
  }

  @Test
  public void singleReader_deliversThePureSequenceInOrderThenEnds() throws Exception {
    EventGeneratorSource source = source("rate=1000000&count=200&duplicates=0.3&malformed=0.1");
    EventGeneratorSource.Reader reader = source.createReader(OPTIONS, null);

    assertEquals(source.generator().payloads(), drain(reader, false));
    assertFalse(reader.advance());
    assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, reader.getWatermark());
  }

  @Test
  public void checkpointAndResume_losesAndRepeatsNothing() throws Exception {
    EventGeneratorSource source = source("rate=1000000&count=60&duplicates=0.5&seed=9");
    EventGeneratorSource.Reader reader = source.createReader(OPTIONS, null);
    List<String> read = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      assertTrue(next(reader, i == 0));
      read.add(reader.getCurrent());
    }
    GeneratorCheckpoint mark = roundTrip(reader.getCheckpointMark());
    reader.close();

    EventGeneratorSource.Reader resumed = source.createReader(OPTIONS, mark);
    read.addAll(drain(resumed, false));

    assertEquals(source.generator().payloads(), read);
  }

  @Test
  public void checkpointAfterEveryMessage_includingBetweenOriginalAndCopy() throws Exception {
    EventGeneratorSource source = source("rate=1000000&count=80&duplicates=0.6&seed=4");
    List<String> read = new ArrayList<>();
    GeneratorCheckpoint mark = null;
    boolean resumedMidPosition = false;
    while (true) {
      EventGeneratorSource.Reader reader = source.createReader(OPTIONS, mark);
      if (!next(reader, true)) {
        break;
      }
      read.add(reader.getCurrent());
      mark = roundTrip(reader.getCheckpointMark());
      resumedMidPosition |= mark.deliveredAtPosition() > 0;
      reader.close();
    }

    assertTrue("some checkpoint should fall between an original and its copy", resumedMidPosition);
    assertEquals(source.generator().payloads(), read);
  }

  @Test
  public void splits_partitionTheMessages() throws Exception {
    EventGeneratorSource source = source("rate=1000000&count=100&duplicates=0.2&seed=2");
    List<String> all = new ArrayList<>();

    List<EventGeneratorSource> splits = source.split(3, OPTIONS);
    assertEquals(3, splits.size());
    for (EventGeneratorSource split : splits) {
      assertEquals(3, split.stride());
      List<EventGeneratorSource> again = split.split(2, OPTIONS);
      assertEquals(2, again.size());
      for (EventGeneratorSource part : again) {
        all.addAll(drain(part.createReader(OPTIONS, null), false));
      }
    }

    List<String> expected = new ArrayList<>(source.generator().payloads());
    Collections.sort(expected);
    Collections.sort(all);
    assertEquals(expected, all);
  }

  @Test
  public void split_neverMakesMoreSplitsThanPositions() throws Exception {
    assertEquals(2, source("rate=10&count=2").split(8, OPTIONS).size());
  }

  @Test
  public void timestampsAndWatermark_onlyLateEventsFallBehind() throws Exception {
    EventGeneratorSource source =
        source("rate=1000000&count=3000&late=0.1&disorder=1s&duplicates=0.2&seed=8");
    EventGenerator generator = source.generator();
    EventGeneratorSource.Reader reader = source.createReader(OPTIONS, null);
    Instant watermark = reader.getWatermark();
    boolean first = true;
    int late = 0;
    int onTime = 0;

    while (true) {
      Instant before = reader.getWatermark();
      assertThat(before, greaterThanOrEqualTo(watermark));
      watermark = before;
      if (!next(reader, first)) {
        break;
      }
      first = false;
      Matcher id = ID.matcher(reader.getCurrent());
      assertTrue(id.find());
      long index = Long.parseLong(id.group(1));
      assertEquals(generator.eventTime(index), reader.getCurrentTimestamp());
      if (generator.isLate(index)) {
        late++;
        assertThat(reader.getCurrentTimestamp(), lessThan(before));
      } else {
        onTime++;
        assertThat(reader.getCurrentTimestamp(), greaterThanOrEqualTo(before));
      }
    }

    assertThat(late, greaterThan(200));
    assertThat(onTime, greaterThan(2500));
    assertEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, reader.getWatermark());
  }

  @Test
  public void pacedReader_waitsForTheNextMessage() throws Exception {
    // One message per second: the second cannot be due a moment after the first.
    EventGeneratorSource.Reader reader = source("rate=1&count=5").createReader(OPTIONS, null);

    assertTrue(reader.start());
    String firstMessage = reader.getCurrent();
    assertFalse(reader.advance());
    assertNotEquals(BoundedWindow.TIMESTAMP_MAX_VALUE, reader.getWatermark());
    assertEquals(0, reader.getCheckpointMark().deliveredAtPosition());
    assertTrue(firstMessage.contains("\"id\":\"e-0\""));
  }

  @Test
  public void checkpointCoder_roundTrips() throws Exception {
    GeneratorCheckpoint mark = new GeneratorCheckpoint(123_456_789_012L, 2);

    assertEquals(mark, roundTrip(mark));
  }
}
