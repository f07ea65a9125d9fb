package dev.streamfirst.runners.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.Test;

public class ReportLocationTest {
  private static final Path HOME = Path.of("/home/me");

  @Test
  public void fileSink_reportGoesBesideTheRowsDirectory() {
    assertEquals(
        Optional.of(Path.of("/data/run1")),
        ReportLocation.resolve(null, "file:///data/run1/rows", HOME));
    assertEquals(
        Optional.of(Path.of("/data/run1")),
        ReportLocation.resolve(null, "file:///data/run1/rows?shards=2", HOME));
  }

  @Test
  public void otherSinks_reportGoesToOutInTheWorkingDirectory() {
    assertEquals(
        Optional.of(Path.of("/home/me/out")),
        ReportLocation.resolve(null, "kafka://localhost:9092/rows", HOME));
    assertEquals(Optional.of(Path.of("/home/me/out")), ReportLocation.resolve(null, null, HOME));
  }

  @Test
  public void givenDirectory_wins_relativeToTheWorkingDirectory() {
    assertEquals(
        Optional.of(Path.of("/home/me/reports/a")),
        ReportLocation.resolve("reports/a", "file:///data/rows", HOME));
    assertEquals(
        Optional.of(Path.of("/tmp/r")), ReportLocation.resolve("file:///tmp/r", null, HOME));
  }

  @Test
  public void none_writesNoReport() {
    assertEquals(Optional.empty(), ReportLocation.resolve("none", "file:///data/rows", HOME));
  }

  @Test
  public void remoteOrEmptyReport_isRefusedNamingTheOption() {
    IllegalArgumentException remote =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReportLocation.resolve("gs://bucket/report", null, HOME));
    assertThat(remote.getMessage(), containsString("--report=gs://bucket/report"));
    assertThat(remote.getMessage(), containsString("--report=none"));
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> ReportLocation.resolve(" ", null, HOME));
    assertThat(empty.getMessage(), containsString("--report is empty"));
  }
}
