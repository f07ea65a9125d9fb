package dev.streamfirst.io;

import java.io.Serializable;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A source or sink address as given on a command line, such as {@code file:///data/in/*.jsonl} or
 * {@code generator://events?count=1000}, split into the parts that scheme handlers need.
 *
 * <p>Parsing is deliberately looser than {@link java.net.URI}: file globs use {@code *}, {@code ?},
 * {@code [..]} and <code>{..}</code>, which {@code java.net.URI} rejects or reads as a query. So
 * this class only finds the scheme and leaves the rest as {@link #body()}; each scheme decides
 * whether it has an authority, a path and a query. Nothing is percent-decoded except query values.
 *
 * <p>{@link #toString()} and every error message show the URI with secret values masked (see {@link
 * Secrets}), because URIs end up in logs, launch output and runner UIs.
 *
 * <pre>{@code
 * IoUri uri = IoUri.parse("generator://events?count=1000&seed=7");
 * uri.scheme();            // "generator"
 * uri.authority();         // "events"
 * uri.queryParameters();   // {count=1000, seed=7}
 * }</pre>
 */
public final class IoUri implements Serializable {
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

  private final String text;
  private final String scheme;
  private final String body;

  private IoUri(String text, String scheme, String body) {
    this.text = text;
    this.scheme = scheme;
    this.body = body;
  }

  /**
   * Splits {@code text} into a scheme and the rest.
   *
   * @throws IllegalArgumentException if there is no scheme or it is not a valid one; callers add
   *     the examples that fit their role (source or sink)
   */
  public static IoUri parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a URI is required, got " + quoteOrNull(text));
    }
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    int slash = trimmed.indexOf('/');
    if (colon <= 0 || (slash >= 0 && slash < colon)) {
      String hint =
          trimmed.startsWith("/") ? " (for a local path write file://" + trimmed + ")" : "";
      throw new IllegalArgumentException(
          "missing scheme in '" + Secrets.maskUri(trimmed) + "'" + Secrets.maskUri(hint));
    }
    String scheme = trimmed.substring(0, colon);
    if (!SCHEME.matcher(scheme).matches()) {
      throw new IllegalArgumentException(
          "invalid scheme '"
              + scheme
              + "' in '"
              + Secrets.maskUri(trimmed)
              + "': a scheme is letters, e.g. file");
    }
    return new IoUri(trimmed, scheme.toLowerCase(Locale.ROOT), trimmed.substring(colon + 1));
  }

  /** The scheme, lower case: {@code file}, {@code generator}, ... */
  public String scheme() {
    return scheme;
  }

  /** Everything after {@code scheme:}, exactly as written (not decoded). */
  public String body() {
    return body;
  }

  /** Whether the body starts with {@code //}, i.e. names an authority (possibly empty). */
  public boolean hasAuthority() {
    return body.startsWith("//");
  }

  /** The part between {@code //} and the next {@code /} or {@code ?}; empty if there is none. */
  public String authority() {
    if (!hasAuthority()) {
      return "";
    }
    return body.substring(2, authorityEnd());
  }

  /** The part after the authority and before {@code ?}; may be empty. */
  public String path() {
    int start = hasAuthority() ? authorityEnd() : 0;
    int query = body.indexOf('?', start);
    return query < 0 ? body.substring(start) : body.substring(start, query);
  }

  /** The raw text after the first {@code ?} following the authority, or empty. */
  public String query() {
    int start = hasAuthority() ? authorityEnd() : 0;
    int query = body.indexOf('?', start);
    return query < 0 ? "" : body.substring(query + 1);
  }

  /**
   * The query as {@code name=value} pairs in the order written. Values are percent-decoded; a
   * {@code +} stays a plus sign, so offsets such as {@code +05:30} need no escaping.
   *
   * @throws IllegalArgumentException for a pair without {@code =}, an empty name or a name given
   *     twice
   */
  public Map<String, String> queryParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    String query = query();
    if (query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "query part '"
                + (Secrets.isSecret(pair) ? Secrets.MASK : pair)
                + "' in '"
                + this
                + "' is not name=value");
      }
      String name = pair.substring(0, eq);
      String value = decode(pair.substring(eq + 1));
      if (parameters.put(name, value) != null) {
        throw new IllegalArgumentException(
            "parameter '" + name + "' is given twice in '" + this + "'");
      }
    }
    return Collections.unmodifiableMap(parameters);
  }

  /** The URI as it was given (trimmed), with secret values masked: safe to print. */
  @Override
  public String toString() {
    return Secrets.maskUri(text);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IoUri && ((IoUri) other).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  private int authorityEnd() {
    int end = body.length();
    for (int i = 2; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '/' || c == '?') {
        end = i;
        break;
      }
    }
    return end;
  }

  private String decode(String value) {
    try {
      return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad percent-escape in a query value of '" + this + "'", e);
    }
  }

  private static String quoteOrNull(String text) {
    return text == null ? "null" : "'" + Secrets.maskUri(text) + "'";
  }
}
