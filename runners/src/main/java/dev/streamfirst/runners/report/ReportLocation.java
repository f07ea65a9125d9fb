package dev.streamfirst.runners.report;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a run's report goes ({@code --report}): a directory given by the user, nowhere ({@code
 * --report=none}), or by default beside the rows, that is the parent of a {@code file://} sink's
 * directory ({@code out/} for the default {@code out/rows}), and {@code ./out} for other sinks.
 *
 * <pre>{@code
 * ReportLocation.resolve(null, "file:///data/run1/rows", Path.of("/home/me"));
 * // Optional[/data/run1]
 * }</pre>
 */
public final class ReportLocation {
  /** The value of {@code --report} that writes no report. */
  public static final String NONE = "none";

  private ReportLocation() {}

  /**
   * @param report the {@code --report} value, or null when not given
   * @param sink the {@code --sink} URI, or null when the pipeline has none
   * @param workingDir where relative paths and the fallback {@code out/} are
   * @return the directory for {@code report.html} and {@code summary.json}, or empty for none
   * @throws IllegalArgumentException naming {@code --report} when its value is not a path
   */
  public static Optional<Path> resolve(String report, String sink, Path workingDir) {
    if (report != null) {
      String value = report.trim();
      if (value.equalsIgnoreCase(NONE)) {
        return Optional.empty();
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException(
            "--report is empty; give a directory (--report=/tmp/run1) or --report=none");
      }
      if (value.startsWith("file:")) {
        return Optional.of(Path.of(URI.create(value)).normalize());
      }
      if (value.contains("://")) {
        throw new IllegalArgumentException(
            "--report="
                + value
                + ": the report is written to a local directory; give a path such as"
                + " --report=/tmp/run1 (or file:///tmp/run1), or --report=none");
      }
      return Optional.of(workingDir.resolve(value).toAbsolutePath().normalize());
    }
    if (sink != null && sink.toLowerCase(Locale.ROOT).startsWith("file:")) {
      try {
        int query = sink.indexOf('?');
        Path rows = Path.of(URI.create(query < 0 ? sink : sink.substring(0, query))).normalize();
        if (rows.getParent() != null) {
          return Optional.of(rows.getParent());
        }
      } catch (IllegalArgumentException e) {
        // Not a plain file URI (a pattern, say): the fallback below.
      }
    }
    return Optional.of(workingDir.resolve("out").toAbsolutePath().normalize());
  }
}
