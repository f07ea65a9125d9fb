package dev.streamfirst.io.file;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class InputFilesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void missingFile_isAProblem_namingThePattern() {
    String missing = tmp.getRoot() + "/nope/*.jsonl";

    String problem = InputFiles.of(FileSource.from(missing)).problem().orElseThrow();

    assertThat(problem, containsString("no file matches " + missing));
  }

  @Test
  public void emptyDirectory_isAProblem() throws IOException {
    Path dir = tmp.newFolder("in").toPath();

    assertThat(
        InputFiles.of(FileSource.from(dir.toString())).problem().orElseThrow(),
        containsString("no file matches " + dir + "/*"));
  }

  @Test
  public void existingFile_isFine_andAnEmptyOneIsWarnedAbout() throws IOException {
    Path events = tmp.newFile("events.jsonl").toPath();
    InputFiles input = InputFiles.of(FileSource.from(events.toString()));

    assertEquals(Optional.empty(), input.problem());
    assertThat(input.warning().orElseThrow(), containsString(events + " is empty"));

    Files.writeString(events, "{}\n");
    assertEquals(Optional.empty(), input.warning());
  }

  @Test
  public void watchingRead_expectsFilesLater() {
    FileSource watching =
        FileSource.from(tmp.getRoot() + "/later").watchEvery(Duration.standardSeconds(1));

    assertEquals(Optional.empty(), InputFiles.of(watching).problem());
  }
}
