package dev.streamfirst.testing.flink;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Flink cluster's libraries, found in a local Maven repository from the list that this artifact
 * carries ({@value #RESOURCE}, written by the build of {@code streamfirst-flink-cluster} with the
 * repository as {@value #REPOSITORY_TOKEN}). They are listed rather than depended on so that
 * Flink's runtime, web UI and log4j never reach the class path of a user's tests; a repository has
 * them once Streamfirst was built there ({@code mvn install} in its checkout).
 */
final class ClusterLibraries {
  /** A folder with the cluster's jars, overriding the list (the project's build sets it). */
  static final String LIB_PROPERTY = "streamfirst.flink.lib";

  /** Where the local Maven repository is, if not {@code ~/.m2/repository}. */
  static final String REPOSITORY_PROPERTY = "streamfirst.m2.repository";

  static final String RESOURCE = "dev/streamfirst/testing/flink/cluster.classpath";
  static final String REPOSITORY_TOKEN = "M2_REPO";

  private ClusterLibraries() {}

  /**
   * A {@code lib} folder in {@code home} whose entries link to the cluster's jars: the cluster is
   * started with {@code lib/*} as its class path, and links cost no copy of some hundred MB.
   */
  static Path linkedInto(Path home) throws IOException {
    String explicit = System.getProperty(LIB_PROPERTY);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    List<Path> jars = jars(listed(), candidateRepositories());
    Path lib = home.resolve("lib");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> old = Files.list(lib)) {
        for (Path link : old.toList()) {
          Files.delete(link);
        }
      }
    }
    Files.createDirectories(lib);
    for (Path jar : jars) {
      Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar);
    }
    return lib;
  }

  /**
   * The listed jars in the first repository that holds all of them: a build with a repository of
   * its own (-Dmaven.repo.local) may have resolved only its own dependencies, while the user's
   * repository holds what Streamfirst's build resolved.
   */
  static List<Path> jars(List<String> listed, List<Path> repositories) {
    String firstMissing = null;
    for (Path repository : repositories) {
      List<Path> jars = new ArrayList<>();
      for (String entry : listed) {
        Path jar = Path.of(entry.replace(REPOSITORY_TOKEN, repository.toString()));
        if (!Files.isRegularFile(jar)) {
          if (firstMissing == null) {
            firstMissing = jar.toString();
          }
          break;
        }
        jars.add(jar);
      }
      if (jars.size() == listed.size()) {
        return jars;
      }
    }
    throw new IllegalStateException(
        "the Flink cluster's libraries are not in the local Maven repository "
            + repositories
            + " (missing e.g. "
            + firstMissing
            + "); build Streamfirst there once (mvn -B install -DskipTests in its checkout), set"
            + " -D"
            + REPOSITORY_PROPERTY
            + " to the repository that has them, or -D"
            + LIB_PROPERTY
            + " to a folder with the cluster's jars");
  }

  static List<String> listed() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ClusterLibraries.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "no list of the Flink cluster's libraries ("
                + RESOURCE
                + "): the streamfirst-test-flink jar was built without it");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      return Stream.of(text.split(File.pathSeparator)).filter(e -> !e.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** {@value #REPOSITORY_PROPERTY}, then Maven's {@code maven.repo.local}, then the default. */
  static List<Path> candidateRepositories() {
    Set<Path> candidates = new LinkedHashSet<>();
    for (String property : List.of(REPOSITORY_PROPERTY, "maven.repo.local")) {
      String value = System.getProperty(property);
      if (value != null && !value.isBlank()) {
        candidates.add(Path.of(value).toAbsolutePath().normalize());
      }
    }
    candidates.add(Path.of(System.getProperty("user.home"), ".m2", "repository"));
    return List.copyOf(candidates);
  }
}
