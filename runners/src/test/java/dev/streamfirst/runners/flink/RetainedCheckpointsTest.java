package dev.streamfirst.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Finding the newest retained checkpoint, and the messages when there is none. */
public class RetainedCheckpointsTest {
  private static final String JOB_A = "0123456789abcdef0123456789abcdef";
  private static final String JOB_B = "fedcba9876543210fedcba9876543210";

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void newestMetadataWins_acrossJobs() throws IOException {
    Path dir = tmp.getRoot().toPath();
    checkpoint(dir, JOB_A, 7, "2026-12-03T10:00:07Z");
    checkpoint(dir, JOB_B, 2, "2026-12-03T10:05:00Z");
    checkpoint(dir, JOB_A, 8, "2026-12-03T10:00:08Z");

    RetainedCheckpoints.Checkpoint latest =
        RetainedCheckpoints.latest(dir.toString(), Optional.empty());

    assertEquals(JOB_B, latest.jobId());
    assertEquals(2, latest.number());
    assertEquals(dir.resolve(JOB_B).resolve("chk-2"), latest.path());
  }

  @Test
  public void oneJobAsked_onlyItsCheckpoints() throws IOException {
    Path dir = tmp.getRoot().toPath();
    checkpoint(dir, JOB_A, 8, "2026-12-03T10:00:08Z");
    checkpoint(dir, JOB_B, 2, "2026-12-03T10:05:00Z");

    RetainedCheckpoints.Checkpoint latest =
        RetainedCheckpoints.latest(dir.toUri().toString(), Optional.of(JOB_A));

    assertEquals(JOB_A, latest.jobId());
    assertEquals(8, latest.number());
  }

  @Test
  public void checkpointWithoutMetadata_isIncomplete_andSkipped() throws IOException {
    Path dir = tmp.getRoot().toPath();
    checkpoint(dir, JOB_A, 4, "2026-12-03T10:00:04Z");
    Files.createDirectories(dir.resolve(JOB_A).resolve("chk-5"));
    Files.createDirectories(dir.resolve(JOB_A).resolve("shared"));

    assertEquals(4, RetainedCheckpoints.latest(dir.toString(), Optional.empty()).number());
  }

  @Test
  public void aJobsOwnFolder_isSearchedToo() throws IOException {
    Path dir = tmp.getRoot().toPath();
    checkpoint(dir, JOB_A, 3, "2026-12-03T10:00:03Z");

    RetainedCheckpoints.Checkpoint latest =
        RetainedCheckpoints.latest(dir.resolve(JOB_A).toString(), Optional.empty());

    assertEquals(JOB_A, latest.jobId());
    assertEquals(3, latest.number());
  }

  @Test
  public void missingDirectory_namesTheFlagAndWhereToLook() {
    Path missing = tmp.getRoot().toPath().resolve("nope");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RetainedCheckpoints.latest(missing.toString(), Optional.empty()));

    assertThat(
        e.getMessage(), containsString("--checkpointDir: " + missing + " is not a directory"));
    assertThat(e.getMessage(), containsString("--stateBackendStoragePath"));
    assertThat(e.getMessage(), containsString(".flink/checkpoints"));
  }

  @Test
  public void noCompletedCheckpoint_saysHowToRetainThem() throws IOException {
    Path dir = tmp.getRoot().toPath();
    Files.createDirectories(dir.resolve(JOB_A).resolve("chk-1"));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RetainedCheckpoints.latest(dir.toString(), Optional.empty()));

    assertThat(e.getMessage(), containsString("--checkpointDir: no completed checkpoint under"));
    assertThat(e.getMessage(), containsString("--checkpointingInterval"));
    assertThat(
        e.getMessage(), containsString("--retainExternalizedCheckpointsOnCancellation=true"));
  }

  @Test
  public void unknownJob_isNamed_withTheJobsThatAreThere() throws IOException {
    Path dir = tmp.getRoot().toPath();
    checkpoint(dir, JOB_A, 1, "2026-12-03T10:00:01Z");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RetainedCheckpoints.latest(dir.toString(), Optional.of(JOB_B)));

    assertThat(e.getMessage(), containsString("of job " + JOB_B + " (--job)"));
    assertThat(e.getMessage(), containsString("jobs found: " + JOB_A));
  }

  @Test
  public void remoteStorage_isRefused_withWhatToDoInstead() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RetainedCheckpoints.latest("s3://bucket/checkpoints", Optional.empty()));

    assertThat(e.getMessage(), containsString("only local checkpoint directories"));
    assertThat(e.getMessage(), containsString("--savepointPath"));
  }

  private static void checkpoint(Path dir, String job, long n, String completed)
      throws IOException {
    Path metadata =
        Files.createDirectories(dir.resolve(job).resolve("chk-" + n)).resolve("_metadata");
    Files.write(metadata, new byte[] {1, 2, 3});
    Files.setLastModifiedTime(metadata, FileTime.from(Instant.parse(completed)));
  }
}
