package dev.streamfirst.io.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import dev.streamfirst.io.Sources;
import dev.streamfirst.transforms.events.Payloads;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.SourceTestUtils;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class Utf8LineSourceTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private File write(String name, byte[] bytes) throws Exception {
    File file = new File(tmp.getRoot(), name);
    Files.write(file.toPath(), bytes);
    return file;
  }

  @Test
  public void latin1Line_isHandedOnUndecoded_withItsExactBytes_othersAsText() throws Exception {
    byte[] latin1 = "{\"key\":\"café\"}".getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes("{\"a\":\"ключ\"}\n".getBytes(UTF_8));
    content.writeBytes(latin1);
    content.writeBytes("\n{\"b\":2}\n".getBytes(UTF_8));
    File file = write("mixed.jsonl", content.toByteArray());

    PCollection<String> lines = p.apply(Sources.read("file://" + file.getAbsolutePath()));

    PAssert.that(lines)
        .satisfies(
            all -> {
              List<String> texts = new ArrayList<>();
              int undecoded = 0;
              for (String line : all) {
                byte[] bytes = Payloads.undecodedBytes(line);
                if (bytes == null) {
                  texts.add(line);
                } else {
                  assertArrayEquals(latin1, bytes);
                  undecoded++;
                }
              }
              assertEquals(1, undecoded);
              texts.sort(null);
              assertEquals(List.of("{\"a\":\"ключ\"}", "{\"b\":2}"), texts);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void everyLineEnding_blankLines_andALastLineWithoutEnding() throws Exception {
    File file = write("endings.txt", "a\nb\r\nc\rd\n\n\r\ne".getBytes(UTF_8));

    PAssert.that(p.apply(Sources.read("file://" + file.getAbsolutePath())))
        .containsInAnyOrder("a", "b", "c", "d", "", "", "e");
    p.run().waitUntilFinish();
  }

  @Test
  public void gzipFile_isReadByItsExtension() throws Exception {
    File file = new File(tmp.getRoot(), "events.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file.toPath()))) {
      out.write("{\"a\":1}\n{\"b\":2}\n".getBytes(UTF_8));
    }

    PAssert.that(p.apply(Sources.read("file://" + file.getAbsolutePath())))
        .containsInAnyOrder("{\"a\":1}", "{\"b\":2}");
    p.run().waitUntilFinish();
  }

  @Test
  public void randomValidText_givesTheSameLinesAsTextIO() throws Exception {
    File file = write("random.txt", randomText(new Random(42), 3_000));

    PCollection<String> ours = p.apply("Ours", Sources.read("file://" + file.getAbsolutePath()));
    PCollection<String> beams = p.apply("TextIO", TextIO.read().from(file.getAbsolutePath()));

    PAssert.that(ours)
        .satisfies(
            mine -> {
              List<String> a = new ArrayList<>();
              mine.forEach(a::add);
              a.sort(null);
              assertEquals(linesOf(file), a);
              return null;
            });
    PAssert.that(beams)
        .satisfies(
            theirs -> {
              List<String> b = new ArrayList<>();
              theirs.forEach(b::add);
              b.sort(null);
              assertEquals(linesOf(file), b);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void splitIntoSmallRanges_readsEveryLineOnce() throws Exception {
    File file = write("split.txt", randomText(new Random(7), 400));
    PipelineOptions options = PipelineOptionsFactory.create();
    Utf8LineSource source =
        new Utf8LineSource(
            StaticValueProvider.of(file.getAbsolutePath()), EmptyMatchTreatment.DISALLOW);

    SourceTestUtils.assertSourcesEqualReferenceSource(source, source.split(97, options), options);
    SourceTestUtils.assertSplitAtFractionExhaustive(source.split(2_000, options).get(0), options);
  }

  /** Lines with every terminator, blank ones and multi-byte characters; valid UTF-8. */
  private static byte[] randomText(Random random, int lines) {
    String[] pieces = {"a", "{\"k\":1}", "ключ", "🌡", " ", "x\ty"};
    String[] endings = {"\n", "\r\n", "\r"};
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      int n = random.nextInt(4);
      for (int j = 0; j < n; j++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      text.append(endings[random.nextInt(endings.length)]);
    }
    return text.toString().getBytes(UTF_8);
  }

  /** The file's lines by an independent split on the three terminators, sorted. */
  private static List<String> linesOf(File file) {
    try {
      String text = new String(Files.readAllBytes(file.toPath()), UTF_8);
      List<String> lines = new ArrayList<>(List.of(text.split("\r\n|\r|\n", -1)));
      if (lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      lines.sort(null);
      return lines;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
