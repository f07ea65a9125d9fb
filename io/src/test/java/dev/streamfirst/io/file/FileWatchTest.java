package dev.streamfirst.io.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.Sources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The file source in continuous mode: files added while the pipeline runs are read. */
public class FileWatchTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final long TIMEOUT_MILLIS = 90_000;

  @Test
  public void watchedDirectory_readsFilesAddedWhileRunning_andStopsWhenIdle() throws Exception {
    Path in = tmp.newFolder("in").toPath();
    Path staging = tmp.newFolder("staging").toPath();
    Path out = tmp.getRoot().toPath().resolve("out");
    List<String> first = List.of("{\"n\":1}", "{\"n\":2}", "ü, \"three\"");
    List<String> second = List.of("{\"n\":4}", "{\"n\":5}");
    Files.write(in.resolve("a.jsonl"), first, UTF_8);

    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setBlockOnRun(false);
    Pipeline p = Pipeline.create(options);
    PCollection<String> lines = p.apply(Sources.read("file://" + in + "?watch=200ms&stopAfter=8s"));
    lines.apply(FileSink.to(out.toString()).withFlushEvery(Duration.millis(300)));
    assertEquals(PCollection.IsBounded.UNBOUNDED, lines.isBounded());

    PipelineResult result = p.run();
    try {
      awaitLines(out, first);
      // Moved in whole, the way files should arrive in a watched directory.
      Files.write(staging.resolve("b.jsonl"), second, UTF_8);
      Files.move(staging.resolve("b.jsonl"), in.resolve("b.jsonl"), StandardCopyOption.ATOMIC_MOVE);
      List<String> all = new ArrayList<>(first);
      all.addAll(second);
      awaitLines(out, all);

      // No new file for stopAfter: the watch ends, and with it the pipeline.
      PipelineResult.State state = result.waitUntilFinish(Duration.millis(TIMEOUT_MILLIS));
      assertEquals(PipelineResult.State.DONE, state);
      assertEquals(sorted(all), sorted(readAll(out)));
    } finally {
      if (!result.getState().isTerminal()) {
        result.cancel();
      }
    }
  }

  @Test
  public void watchedDirectory_whereNoFileEverAppears_stillStopsWhenIdle() throws Exception {
    Path in = tmp.newFolder("empty").toPath();
    Path out = tmp.getRoot().toPath().resolve("out");
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setBlockOnRun(false);
    Pipeline p = Pipeline.create(options);
    p.apply(Sources.read("file://" + in + "?watch=200ms&stopAfter=2s"))
        .apply(FileSink.to(out.toString()).withFlushEvery(Duration.millis(300)));

    PipelineResult result = p.run();
    try {
      assertEquals(
          PipelineResult.State.DONE, result.waitUntilFinish(Duration.millis(TIMEOUT_MILLIS)));
    } finally {
      if (!result.getState().isTerminal()) {
        result.cancel();
      }
    }
  }

  @Test
  public void queryParameters_areReadAndShown() {
    FileSource source = (FileSource) Sources.read("file:///data/in?watch=10s&stopAfter=5m");

    assertEquals("/data/in", source.filePattern());
    assertEquals(Duration.standardSeconds(10), source.watchInterval());
    assertEquals(Duration.standardMinutes(5), source.stopAfterIdle());
  }

  @Test
  public void eventTimeParameters_areReadAndShown_withKafkasDefaults() {
    FileSource defaults = (FileSource) Sources.read("file:///data/in?watch=10s");
    FileSource set =
        (FileSource) Sources.read("file:///data/in?watch=10s&tsField=time&maxDisorder=2m");

    assertEquals("ts", defaults.timestampField());
    assertEquals(Duration.standardSeconds(30), defaults.maxDisorder());
    assertEquals("time", set.timestampField());
    assertEquals(Duration.standardMinutes(2), set.maxDisorder());
    assertTrue(
        DisplayData.from(set).items().stream()
            .anyMatch(i -> i.getKey().equals("maxDisorder") && "2m".equals(i.getValue())));
  }

  @Test
  public void maxDisorderWithoutWatch_isRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Sources.read("file:///data/in?maxDisorder=1m"));

    assertThat(e.getMessage(), containsString("parameter 'maxDisorder'"));
    assertThat(e.getMessage(), containsString("needs watch=<interval>"));
  }

  @Test
  public void questionMarkGlob_isStillAGlob() {
    FileSource source = (FileSource) Sources.read("file:///data/in/part-?.jsonl");

    assertEquals("/data/in/part-?.jsonl", source.filePattern());
    assertNull(source.watchInterval());
  }

  @Test
  public void globWithAWatch_keepsBoth() {
    FileSource source = (FileSource) Sources.read("file:///data/in/part-?.jsonl?watch=1m");

    assertEquals("/data/in/part-?.jsonl", source.filePattern());
    assertEquals(Duration.standardMinutes(1), source.watchInterval());
    assertNull(source.stopAfterIdle());
  }

  @Test
  public void badWatch_isRefusedWithAnExample() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Sources.read("file:///data/in?watch=often"));

    assertThat(e.getMessage(), containsString("parameter 'watch'"));
    assertThat(e.getMessage(), containsString("got 'often'"));
    assertThat(e.getMessage(), containsString("file:///abs/dir/or/glob?watch=10s"));
  }

  @Test
  public void stopAfterWithoutWatch_isRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Sources.read("file:///data/in?stopAfter=5m"));

    assertThat(e.getMessage(), containsString("needs watch=<interval>"));
  }

  @Test
  public void unknownParameter_isRefusedListingTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Sources.read("file:///data/in?wacth=5s"));

    assertThat(e.getMessage(), containsString("unknown parameter 'wacth'"));
    assertThat(e.getMessage(), containsString("known: watch, stopAfter, tsField, maxDisorder"));
  }

  @Test
  public void fileSink_stillTakesNoQuery() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Sinks.write("file:///out?watch=1s"));

    assertThat(e.getMessage(), containsString("a file sink takes no query"));
  }

  private static void awaitLines(Path dir, List<String> expected) throws Exception {
    long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
    while (!sorted(readAll(dir)).equals(sorted(expected))) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("expected " + expected + " in " + dir + ", got " + readAll(dir));
      }
      Thread.sleep(100);
    }
  }

  private static List<String> readAll(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<String> lines = new ArrayList<>();
      for (Path f :
          files
              .filter(f -> f.getFileName().toString().endsWith(FileSink.SUFFIX))
              .collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(f, UTF_8));
      }
      return lines;
    }
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    Collections.sort(copy);
    return copy;
  }
}
