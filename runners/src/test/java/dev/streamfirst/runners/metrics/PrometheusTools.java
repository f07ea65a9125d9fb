package dev.streamfirst.runners.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds Prometheus' own programs (Debian package {@code prometheus}: {@code prometheus} and {@code
 * promtool}) and the project's monitoring files. A missing program fails the test with the command
 * that installs it: these tests are part of the suite and never skipped.
 */
final class PrometheusTools {
  static final String INSTALL = "apt-get install -y --no-install-recommends prometheus";

  private PrometheusTools() {}

  /** The path of {@code program} ({@code prometheus} or {@code promtool}). */
  static Path program(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : (path + ":/usr/bin:/usr/local/bin").split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        program
            + " is not installed; it comes with the Debian package 'prometheus': install it as"
            + " root with '"
            + INSTALL
            + "' (./streamfirst test does, from .ci/debian-packages)");
  }

  /** The repository's {@code monitoring/} folder (tests run in a module's folder). */
  static Path monitoring() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("monitoring");
      if (Files.isDirectory(candidate.resolve("prometheus"))) {
        return candidate;
      }
    }
    throw new AssertionError("no monitoring/ folder above " + Path.of("").toAbsolutePath());
  }

  /** Runs a command to its end and returns its exit code and output. */
  static Output run(List<String> command, Path dir) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish in 2 minutes");
    }
    return new Output(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  record Output(int exitCode, String text) {}
}
