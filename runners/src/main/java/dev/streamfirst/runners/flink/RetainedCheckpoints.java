package dev.streamfirst.runners.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints Flink retained under a checkpoint directory, and the newest of them: where a
 * streaming job starts again after its JobManager was lost (without high availability the job is
 * gone with it, but its retained checkpoints are not).
 *
 * <p>Flink writes each checkpoint to {@code <dir>/<job-id>/chk-<n>/} and its {@code _metadata} file
 * last, so a folder without one is a checkpoint that did not complete and is skipped.
 *
 * <pre>{@code
 * RetainedCheckpoints.Checkpoint latest =
 *     RetainedCheckpoints.latest("file:///data/checkpoints", Optional.empty());
 * // submit with --savepointPath=latest.path()
 * }</pre>
 */
public final class RetainedCheckpoints {
  /** The launcher flag that names the directory, for messages. */
  public static final String DIRECTORY_FLAG = "--checkpointDir";

  /** The launcher flag that picks one job's checkpoints, for messages. */
  public static final String JOB_FLAG = "--job";

  private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");
  private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{32}");
  private static final String METADATA = "_metadata";

  /** One completed checkpoint: its folder (what {@code --savepointPath} takes), job and number. */
  public record Checkpoint(Path path, String jobId, long number, Instant completed) {}

  private RetainedCheckpoints() {}

  /**
   * The newest completed checkpoint under {@code directory}: the one whose metadata was written
   * last (of one job, the highest number).
   *
   * @param directory a path or a {@code file:} URI: a checkpoint directory holding one folder per
   *     job, or one job's folder
   * @param jobId only this job's checkpoints, if given
   * @throws IllegalArgumentException if the directory is missing or holds no completed checkpoint
   *     (of that job); the message names the flag and the fix
   */
  public static Checkpoint latest(String directory, Optional<String> jobId) {
    Path dir = toPath(directory);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          DIRECTORY_FLAG
              + ": "
              + dir
              + " is not a directory; pass the one the job checkpointed to: its"
              + " --stateBackendStoragePath, or the cluster's state.checkpoints.dir"
              + " (.flink/checkpoints for ./streamfirst flink start)");
    }
    List<Checkpoint> found = new ArrayList<>();
    try {
      collect(dir, dir.getFileName() == null ? "" : dir.getFileName().toString(), found);
      try (Stream<Path> children = Files.list(dir)) {
        for (Path child : children.toList()) {
          String name = child.getFileName().toString();
          if (JOB_ID.matcher(name).matches() && Files.isDirectory(child)) {
            collect(child, name, found);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the checkpoints under " + dir, e);
    }
    Optional<Checkpoint> newest =
        found.stream()
            .filter(c -> jobId.map(c.jobId()::equals).orElse(true))
            .max(Comparator.comparing(Checkpoint::completed).thenComparingLong(Checkpoint::number));
    return newest.orElseThrow(
        () ->
            new IllegalArgumentException(
                DIRECTORY_FLAG
                    + ": no completed checkpoint"
                    + jobId.map(id -> " of job " + id + " (" + JOB_FLAG + ")").orElse("")
                    + " under "
                    + dir
                    + " (Flink writes <dir>/<job-id>/chk-<n>/"
                    + METADATA
                    + "); the job must have checkpointed (--checkpointingInterval) and retained"
                    + " its checkpoints (--externalizedCheckpointsEnabled=true"
                    + " --retainExternalizedCheckpointsOnCancellation=true, the launcher's"
                    + " defaults for streaming Flink jobs) before it was lost"
                    + (found.isEmpty() ? "" : "; jobs found: " + jobIds(found))));
  }

  /** The checkpoints directly in {@code jobDir}, a folder of one job. */
  private static void collect(Path jobDir, String jobId, List<Checkpoint> into) throws IOException {
    try (Stream<Path> children = Files.list(jobDir)) {
      for (Path child : children.toList()) {
        Matcher m = CHECKPOINT.matcher(child.getFileName().toString());
        Path metadata = child.resolve(METADATA);
        if (m.matches() && Files.isRegularFile(metadata)) {
          into.add(
              new Checkpoint(
                  child.toAbsolutePath().normalize(),
                  jobId,
                  Long.parseLong(m.group(1)),
                  Files.getLastModifiedTime(metadata).toInstant()));
        }
      }
    }
  }

  private static String jobIds(List<Checkpoint> found) {
    return String.join(", ", found.stream().map(Checkpoint::jobId).distinct().sorted().toList());
  }

  private static Path toPath(String directory) {
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException(
          DIRECTORY_FLAG
              + " is empty; give the job's checkpoint directory, e.g. "
              + DIRECTORY_FLAG
              + "=/data/checkpoints");
    }
    if (directory.startsWith("file:")) {
      try {
        return Path.of(URI.create(directory)).toAbsolutePath().normalize();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            DIRECTORY_FLAG
                + ": '"
                + directory
                + "' is not a file URI; write file:///abs/dir or a plain path",
            e);
      }
    }
    if (directory.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      throw new IllegalArgumentException(
          DIRECTORY_FLAG
              + ": only local checkpoint directories can be searched, got '"
              + directory
              + "'; find the newest chk-<n> folder yourself and pass it as --savepointPath");
    }
    return Path.of(directory).toAbsolutePath().normalize();
  }
}
