package dev.streamfirst.io.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.Sources;
import dev.streamfirst.io.generator.EventGenerator;
import dev.streamfirst.io.generator.GeneratorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FileSinkTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static final List<String> ROWS =
      List.of(
          "{\"key\":\"a\",\"count\":1}",
          "{\"key\":\"ü 日本\",\"note\":\"comma, \\\"quote\\\"\"}",
          "{\"key\":\"c\",\"count\":3}");

  @Test
  public void boundedInput_roundTripsThroughJsonLinesFiles() throws Exception {
    Path dir = tmp.getRoot().toPath().resolve("out");

    p.apply(Create.of(ROWS)).apply(Sinks.write("file://" + dir));
    p.run().waitUntilFinish();

    List<Path> files = jsonLinesFiles(dir);
    assertThat(files, not(empty()));
    assertThat(names(files), everyItem(matchesPattern("part-\\d{5}-of-\\d{5}\\.jsonl")));
    assertEquals(sorted(ROWS), sorted(readAll(files)));
  }

  @Test
  public void boundedInput_withNumShards_writesThatManyFiles() throws Exception {
    Path dir = tmp.getRoot().toPath().resolve("sharded");

    p.apply(Create.of(ROWS)).apply(FileSink.to(dir.toString()).withNumShards(2));
    p.run().waitUntilFinish();

    assertEquals(
        List.of("part-00000-of-00002.jsonl", "part-00001-of-00002.jsonl"),
        sorted(names(jsonLinesFiles(dir))));
    assertEquals(sorted(ROWS), sorted(readAll(jsonLinesFiles(dir))));
  }

  @Test
  public void unboundedInput_isWrittenInPanesAndCompletely() throws Exception {
    Path dir = tmp.getRoot().toPath().resolve("stream");
    String uri = "generator://events?rate=2000&count=300&duplicates=0.1&seed=5";
    GeneratorSpec spec = GeneratorSpec.parse(uri);

    p.apply(Sources.read(spec.toUri())).apply(Sinks.write("file://" + dir));
    p.run().waitUntilFinish();

    List<Path> files = jsonLinesFiles(dir);
    assertThat(files, not(empty()));
    assertThat(
        names(files),
        everyItem(matchesPattern("part-\\d{8}T\\d{6}Z-pane-\\d+(-last)?-00000-of-00001\\.jsonl")));
    assertEquals(sorted(new EventGenerator(spec).payloads()), sorted(readAll(files)));
  }

  @Test
  public void relativeDirectory_isRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FileSink.to("out"));

    assertThat(e.getMessage(), containsString("must be an absolute path, got 'out'"));
  }

  @Test
  public void nonPositiveShards_areRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FileSink.to("/out").withNumShards(0));

    assertThat(e.getMessage(), containsString("withNumShards() must be positive, got 0"));
  }

  private static List<Path> jsonLinesFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".jsonl"))
          .collect(Collectors.toList());
    }
  }

  private static List<String> names(List<Path> files) {
    return files.stream().map(f -> f.getFileName().toString()).collect(Collectors.toList());
  }

  private static List<String> readAll(List<Path> files) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Path file : files) {
      lines.addAll(Files.readAllLines(file, UTF_8));
    }
    return lines;
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    Collections.sort(copy);
    return copy;
  }
}
