package dev.streamfirst.io.reference;

import dev.streamfirst.io.IoUri;
import dev.streamfirst.io.file.FileReferenceTable;
import dev.streamfirst.io.http.HttpLookupHandler;
import dev.streamfirst.io.jdbc.JdbcLookupHandler;
import dev.streamfirst.io.jdbc.JdbcReferenceTable;
import dev.streamfirst.transforms.enrich.LookupHandler;
import dev.streamfirst.transforms.enrich.ReferenceTable;
import java.util.Set;

/**
 * Turns a reference URI into reference data for {@code Enrich}, in the URI style of sources and
 * sinks: a table read whole ({@link #table}) or a lookup handler ({@link #lookup}).
 *
 * <table>
 *   <caption>Reference URIs</caption>
 *   <tr><th>URI</th><th>table</th><th>lookup</th></tr>
 *   <tr><td>{@code file:///abs/accounts.jsonl?key=account_id}</td><td>yes</td><td>no</td></tr>
 *   <tr><td>{@code jdbc:postgresql://host:5432/db?user=u&password=p&table=accounts&key=id}</td>
 *       <td>yes</td><td>yes</td></tr>
 *   <tr><td>{@code http://host:8080/accounts}, {@code https://...}</td><td>no</td><td>yes</td></tr>
 * </table>
 *
 * <p>The URI is checked completely here, when the pipeline is built.
 *
 * <pre>{@code
 * Enrich<Event> enrich = References.isLookup(uri)
 *     ? Enrich.fromLookup(References.lookup(uri))
 *     : Enrich.fromTable(References.table(uri));
 * }</pre>
 */
public final class References {
  /** Valid reference URIs, for help texts and error messages. */
  public static final String EXAMPLES =
      FileReferenceTable.EXAMPLE
          + ", "
          + JdbcLookupHandler.EXAMPLE
          + ", "
          + HttpLookupHandler.EXAMPLE;

  private static final Set<String> HTTP = Set.of("http", "https");

  private References() {}

  /** Whether {@code uri} names a source that can only be looked up, not read whole (HTTP). */
  public static boolean isLookupOnly(String uri) {
    return HTTP.contains(parse(uri).scheme());
  }

  /** Whether {@code uri} names a source that can only be read whole (files). */
  public static boolean isTableOnly(String uri) {
    return parse(uri).scheme().equals("file");
  }

  /**
   * The whole table at {@code uri}, for a side input.
   *
   * @throws IllegalArgumentException naming the wrong part of the URI and showing a valid one
   */
  public static ReferenceTable table(String uri) {
    IoUri parsed = parse(uri);
    return switch (parsed.scheme()) {
      case "file" -> FileReferenceTable.fromUri(parsed);
      case "jdbc" -> JdbcReferenceTable.fromUri(parsed.toString());
      case "http", "https" ->
          throw new IllegalArgumentException(
              "an HTTP reference can only be looked up, not read whole as a table: '"
                  + parsed
                  + "'; drop the table refresh, or use a file or JDBC reference");
      default -> throw unknown(parsed);
    };
  }

  /**
   * The lookup handler for {@code uri}.
   *
   * @throws IllegalArgumentException naming the wrong part of the URI and showing a valid one
   */
  public static LookupHandler lookup(String uri) {
    IoUri parsed = parse(uri);
    return switch (parsed.scheme()) {
      case "jdbc" -> JdbcLookupHandler.fromUri(parsed.toString());
      case "http", "https" -> HttpLookupHandler.fromUri(parsed);
      case "file" ->
          throw new IllegalArgumentException(
              "a file reference is read whole as a side input, not looked up: '" + parsed + "'");
      default -> throw unknown(parsed);
    };
  }

  private static IoUri parse(String uri) {
    try {
      return IoUri.parse(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + "; use " + EXAMPLES, e);
    }
  }

  private static IllegalArgumentException unknown(IoUri uri) {
    return new IllegalArgumentException(
        "unknown reference scheme '" + uri.scheme() + "' in '" + uri + "'; use " + EXAMPLES);
  }
}
