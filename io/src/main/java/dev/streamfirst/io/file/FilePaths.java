package dev.streamfirst.io.file;

import dev.streamfirst.io.IoUri;

/** Reads the local absolute path out of a {@code file:} URI, for the file source and sink. */
final class FilePaths {
  static final String SCHEME = "file";

  private FilePaths() {}

  /**
   * Accepts {@code file:///abs/path} and {@code file:/abs/path}.
   *
   * @param example a valid URI for the caller's role, shown in every error message
   */
  static String absolutePath(IoUri uri, String example) {
    if (!SCHEME.equals(uri.scheme())) {
      throw new IllegalArgumentException(
          "expected a file: URI, got scheme '" + uri.scheme() + "' in '" + uri + "'");
    }
    String body = uri.body();
    int query = queryStart(body);
    if (query >= 0) {
      body = body.substring(0, query);
    }
    String path;
    if (uri.hasAuthority()) {
      String host = uri.authority();
      if (!host.isEmpty()) {
        // file://tmp/x is almost always a typo for file:///tmp/x; a host would be misleading here,
        // because only the local file system is read.
        throw new IllegalArgumentException(
            "'"
                + uri
                + "' names host '"
                + host
                + "'; a file URI takes a local absolute path after three slashes, e.g. file:///"
                + body.substring(2));
      }
      path = body.substring(2);
    } else {
      path = body;
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException("'" + uri + "' has no path; e.g. " + example);
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          "relative path '"
              + path
              + "' in '"
              + uri
              + "': a file URI needs an absolute path, e.g. "
              + example);
    }
    return path;
  }

  /** Checks a path given directly (not as a URI) to a file transform. */
  static String requireAbsolute(String path, String what, String example) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(what + " is required, e.g. " + example);
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          what + " must be an absolute path, got '" + path + "'; e.g. " + example);
    }
    return path;
  }

  /**
   * Splits {@code file:} URI text at its query. A {@code ?} is also a glob character, so only a
   * {@code ?} followed by a parameter name and {@code =} starts the query: {@code /in/part-?.jsonl}
   * is a glob, {@code /in?watch=10s} a directory with a query.
   *
   * @return the index of that {@code ?} in {@code body}, or -1
   */
  static int queryStart(String body) {
    for (int i = body.indexOf('?'); i >= 0; i = body.indexOf('?', i + 1)) {
      int j = i + 1;
      while (j < body.length() && Character.isLetter(body.charAt(j))) {
        j++;
      }
      if (j > i + 1 && j < body.length() && body.charAt(j) == '=') {
        return i;
      }
    }
    return -1;
  }

  static boolean isGlob(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '{') {
        return true;
      }
    }
    return false;
  }
}
