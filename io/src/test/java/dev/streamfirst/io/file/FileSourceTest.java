package dev.streamfirst.io.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.io.Sources;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FileSourceTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  // Lines a CSV or naive JSON splitter would mangle; each must come through untouched.
  private static final List<String> TRICKY =
      List.of(
          "{\"id\":\"e-1\",\"key\":\"café ☕\",\"ts\":\"2026-01-01T00:00:00Z\",\"value\":1.5}",
          "\"quoted\", with, commas, and \\\"escapes\\\"",
          "ünïcödé — 日本語 — 🚀",
          "",
          "  leading and trailing spaces  ");

  private File write(File dir, String name, List<String> lines) throws Exception {
    File file = new File(dir, name);
    Files.write(file.toPath(), lines, UTF_8);
    return file;
  }

  @Test
  public void singleFile_yieldsEveryLineExactly() throws Exception {
    File file = write(tmp.getRoot(), "events.jsonl", TRICKY);

    PCollection<String> lines = p.apply(Sources.read("file://" + file.getAbsolutePath()));

    PAssert.that(lines).containsInAnyOrder(TRICKY);
    p.run().waitUntilFinish();
  }

  @Test
  public void windowsLineEndings_areNotPartOfTheLine() throws Exception {
    File file = new File(tmp.getRoot(), "crlf.jsonl");
    Files.write(file.toPath(), "{\"a\":1}\r\n{\"b\":2}\r\n".getBytes(UTF_8));

    PCollection<String> lines = p.apply(Sources.read("file://" + file.getAbsolutePath()));

    PAssert.that(lines).containsInAnyOrder("{\"a\":1}", "{\"b\":2}");
    p.run().waitUntilFinish();
  }

  @Test
  public void directory_readsFilesDirectlyInItOnly() throws Exception {
    File dir = tmp.newFolder("in");
    write(dir, "a.jsonl", List.of("a1", "a2"));
    write(dir, "b.txt", TRICKY);
    File nested = new File(dir, "nested");
    nested.mkdir();
    write(nested, "c.jsonl", List.of("not me"));

    PCollection<String> lines = p.apply(Sources.read("file://" + dir.getAbsolutePath()));

    List<String> expected = new ArrayList<>(List.of("a1", "a2"));
    expected.addAll(TRICKY);
    PAssert.that(lines).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  public void glob_readsOnlyMatchingFiles() throws Exception {
    File dir = tmp.newFolder("glob");
    write(dir, "part-1.jsonl", List.of("one", "ü,\"two\""));
    write(dir, "part-2.jsonl", List.of("three"));
    write(dir, "other.txt", List.of("skipped"));

    PCollection<String> lines =
        p.apply(Sources.read("file://" + dir.getAbsolutePath() + "/part-*.jsonl"));

    PAssert.that(lines).containsInAnyOrder("one", "ü,\"two\"", "three");
    p.run().waitUntilFinish();
  }

  @Test
  public void patternMatchingNothing_failsNamingThePattern() throws Exception {
    String pattern = tmp.getRoot().getAbsolutePath() + "/missing-*.jsonl";
    p.apply(Sources.read("file://" + pattern));

    PipelineExecutionException e =
        assertThrows(PipelineExecutionException.class, () -> p.run().waitUntilFinish());

    assertThat(messages(e), containsString(pattern));
  }

  @Test
  public void relativePath_isRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FileSource.from("in/*.jsonl"));

    assertThat(e.getMessage(), containsString("must be an absolute path, got 'in/*.jsonl'"));
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
