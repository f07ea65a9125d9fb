package dev.streamfirst.io.file;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class OutputDirectoryTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private OutputDirectory dir(Path path) {
    return OutputDirectory.of(FileSink.to(path.toString()));
  }

  @Test
  public void newOrEmptyDirectory_isFine() throws IOException {
    assertEquals(Optional.empty(), dir(tmp.getRoot().toPath().resolve("a/b/rows")).problem(false));
    assertEquals(Optional.empty(), dir(tmp.newFolder("empty").toPath()).problem(false));
  }

  @Test
  public void earlierOutput_isRefused_namingOverwrite() throws IOException {
    Path rows = tmp.newFolder("rows").toPath();
    Files.writeString(rows.resolve("part-00000-of-00004.jsonl"), "{}\n");
    Files.writeString(rows.resolve("part-00001-of-00004.jsonl"), "{}\n");

    String problem = dir(rows).problem(false).orElseThrow();

    assertThat(problem, containsString("holds an earlier run's output"));
    assertThat(problem, containsString("part-00000-of-00004.jsonl and 1 more"));
    assertThat(problem, containsString("add --overwrite"));
    assertTrue(dir(rows).holdsOutput());
  }

  @Test
  public void overwrite_clearsOnlyWhatTheSinkWrote() throws IOException {
    Path rows = tmp.newFolder("rows").toPath();
    Files.writeString(rows.resolve("part-00000-of-00001.jsonl"), "{}\n");
    Files.createDirectories(rows.resolve(".temp-beam-123/x"));
    Files.writeString(rows.resolve(".temp-beam-123/x/shard"), "{}\n");

    assertEquals(Optional.empty(), dir(rows).problem(true));
    dir(rows).clear();

    try (var left = Files.list(rows)) {
      assertEquals(0, left.count());
    }
    assertFalse(dir(rows).holdsOutput());
  }

  @Test
  public void filesTheSinkDidNotWrite_areRefusedEvenWithOverwrite() throws IOException {
    Path home = tmp.newFolder("home").toPath();
    Files.writeString(home.resolve("notes.txt"), "mine");

    String problem = dir(home).problem(true).orElseThrow();

    assertThat(problem, containsString("holds files this sink did not write (notes.txt)"));
    assertTrue(Files.exists(home.resolve("notes.txt")));
  }

  @Test
  public void pathUnderAFile_cannotBeCreated() throws IOException {
    Path file = tmp.newFile("plain").toPath();

    String problem = dir(file.resolve("rows")).problem(false).orElseThrow();

    assertThat(problem, containsString(file + " is a file, not a directory"));
  }

  @Test
  public void pathWhereNoDirectoryCanBeMade_isRefusedBeforeTheRun_evenForRoot() {
    // /proc takes no new directories, although its permission bits let root (as in CI) write.
    Path path = Path.of("/proc/streamfirst-output-test/rows");

    String problem = dir(path).problem(false).orElseThrow();

    assertThat(problem, containsString(path + " cannot be created"));
    assertFalse(Files.exists(Path.of("/proc/streamfirst-output-test")));
  }
}
