package dev.streamfirst.runners;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the launcher runs from: the project root (set by {@code ./streamfirst}, else the working
 * directory) with its {@code .flink/} cluster folder, and the bundled jar it runs from, if any.
 */
public final class ProjectRoot {
  /** System property the {@code ./streamfirst} script sets to the project root. */
  public static final String PROPERTY = "streamfirst.root";

  private ProjectRoot() {}

  public static Path path() {
    return Path.of(System.getProperty(PROPERTY, System.getProperty("user.dir")))
        .toAbsolutePath()
        .normalize();
  }

  /** The local Flink cluster's folder: {@code <root>/.flink}. */
  public static Path flinkHome() {
    return path().resolve(".flink");
  }

  /**
   * The jar these classes were loaded from, when that is a jar (the bundled one, under {@code
   * ./streamfirst}); empty when running from class folders, as tests do.
   */
  public static Optional<Path> bundledJar() {
    try {
      Path location =
          Path.of(ProjectRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(location) && location.toString().endsWith(".jar")
          ? Optional.of(location)
          : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
