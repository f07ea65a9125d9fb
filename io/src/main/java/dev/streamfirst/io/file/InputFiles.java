package dev.streamfirst.io.file;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The files a one-off {@link FileSource} read would find, looked at before a run starts: a pattern
 * that matches nothing is almost always a wrong path, and files that are all empty make a run that
 * writes nothing, which a user should hear about before waiting for it. A watching read expects its
 * files later and is never refused.
 *
 * <pre>{@code
 * InputFiles.of(fileSource).problem().ifPresent(p -> fail("--source: " + p));
 * }</pre>
 */
public final class InputFiles {
  private final FileSource source;

  private InputFiles(FileSource source) {
    this.source = source;
  }

  public static InputFiles of(FileSource source) {
    return new InputFiles(source);
  }

  /** Why the read cannot work, in words, or empty. */
  public Optional<String> problem() {
    if (source.watchInterval() != null) {
      return Optional.empty();
    }
    try {
      if (matched().isEmpty()) {
        return Optional.of(
            "no file matches "
                + source.filePattern()
                + "; check the path (a directory reads every file directly in it, a glob such as"
                + " /data/in/*.jsonl the files it matches)");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot list " + source.filePattern() + ": " + e.getMessage());
    }
  }

  /** A warning when every file matched is empty (so the run will read nothing), or empty. */
  public Optional<String> warning() {
    if (source.watchInterval() != null) {
      return Optional.empty();
    }
    try {
      List<MatchResult.Metadata> files = matched();
      if (!files.isEmpty() && files.stream().allMatch(f -> f.sizeBytes() == 0)) {
        return Optional.of(
            (files.size() == 1 ? "the file " + files.get(0).resourceId() + " is" : "every file is")
                + " empty: this run reads no events and writes no rows");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private List<MatchResult.Metadata> matched() throws IOException {
    MatchResult match =
        FileSystems.match(source.filePattern(), EmptyMatchTreatment.ALLOW_IF_WILDCARD);
    if (match.status() == MatchResult.Status.NOT_FOUND) {
      return List.of();
    }
    if (match.status() != MatchResult.Status.OK) {
      throw new IOException(String.valueOf(match.status()));
    }
    return match.metadata().stream().filter(m -> !m.resourceId().isDirectory()).toList();
  }
}
