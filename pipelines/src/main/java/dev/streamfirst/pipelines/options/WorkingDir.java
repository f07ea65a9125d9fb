package dev.streamfirst.pipelines.options;

import java.nio.file.Paths;

/** File URIs under the directory a pipeline was launched from, for default outputs. */
final class WorkingDir {
  private WorkingDir() {}

  /** {@code file:///<working dir>/<relative>}. */
  static String fileUri(String relative) {
    String path =
        Paths.get(System.getProperty("user.dir"), relative).toAbsolutePath().normalize().toString();
    return "file://" + (path.startsWith("/") ? path : "/" + path);
  }
}
