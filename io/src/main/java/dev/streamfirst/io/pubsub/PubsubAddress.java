package dev.streamfirst.io.pubsub;

import com.google.auto.value.AutoValue;
import dev.streamfirst.io.IoUri;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A Pub/Sub topic or subscription as written in a {@code pubsub://} URI: {@code
 * pubsub://projects/my-project/topics/events} or {@code
 * pubsub://projects/my-project/subscriptions/events-rollup}.
 *
 * <p>Names are checked against Pub/Sub's own rules here, so a typo fails when the pipeline is
 * built, with the rule that was broken, rather than at the first request to the service.
 */
@AutoValue
abstract class PubsubAddress implements Serializable {
  static final String SCHEME = "pubsub";

  enum Kind {
    TOPIC("topics"),
    SUBSCRIPTION("subscriptions");

    final String collection;

    Kind(String collection) {
      this.collection = collection;
    }
  }

  // Project ids: 6 to 30 lower-case letters, digits and hyphens, starting with a letter, not
  // ending with a hyphen; older projects may be domain-scoped ("example.com:my-project").
  private static final Pattern PROJECT =
      Pattern.compile("([a-z0-9][-a-z0-9.]*[a-z0-9]:)?[a-z][-a-z0-9]{4,28}[a-z0-9]");
  // Topic and subscription names: 3 to 255 characters from this set, starting with a letter.
  private static final Pattern NAME = Pattern.compile("[A-Za-z][-A-Za-z0-9_.~+%]{2,254}");

  abstract String project();

  abstract Kind kind();

  abstract String name();

  /** The resource path Pub/Sub and PubsubIO use: {@code projects/P/topics/T}. */
  String path() {
    return "projects/" + project() + "/" + kind().collection + "/" + name();
  }

  /** The URI form, without query: {@code pubsub://projects/P/topics/T}. */
  String toUri() {
    return SCHEME + "://" + path();
  }

  /**
   * Reads the address of a {@code pubsub://projects/P/(topics|subscriptions)/N} URI; the query, if
   * any, is the caller's.
   *
   * @param example a valid URI for the caller's role, shown in every error message
   */
  static PubsubAddress fromUri(IoUri uri, String example) {
    if (!SCHEME.equals(uri.scheme())) {
      throw new IllegalArgumentException(
          "expected a pubsub: URI, got scheme '" + uri.scheme() + "' in '" + uri + "'");
    }
    if (!uri.hasAuthority()) {
      throw new IllegalArgumentException(
          "'" + uri + "' must start with pubsub://projects/; e.g. " + example);
    }
    String body = uri.body().substring(2);
    int query = body.indexOf('?');
    return parsePath(query < 0 ? body : body.substring(0, query), uri.toString(), example);
  }

  /**
   * Reads a resource path such as {@code projects/P/topics/T}.
   *
   * @param context what to quote in error messages (the URI, or the path itself)
   */
  static PubsubAddress parsePath(String path, String context, String example) {
    String[] parts = path.split("/", -1);
    if (parts.length != 4 || !parts[0].equals("projects")) {
      throw new IllegalArgumentException(
          "'"
              + context
              + "' is not projects/<project>/topics/<topic> or"
              + " projects/<project>/subscriptions/<subscription>; e.g. "
              + example);
    }
    String project = parts[1];
    if (!PROJECT.matcher(project).matches()) {
      throw new IllegalArgumentException(
          "project id '"
              + project
              + "' in '"
              + context
              + "' is not valid: 6 to 30 lower-case letters, digits or hyphens, starting with a"
              + " letter (e.g. my-project); e.g. "
              + example);
    }
    Kind kind;
    if (parts[2].equals(Kind.TOPIC.collection)) {
      kind = Kind.TOPIC;
    } else if (parts[2].equals(Kind.SUBSCRIPTION.collection)) {
      kind = Kind.SUBSCRIPTION;
    } else {
      throw new IllegalArgumentException(
          "'"
              + parts[2]
              + "' in '"
              + context
              + "' must be 'topics' or 'subscriptions'; e.g. "
              + example);
    }
    String name = parts[3];
    if (!NAME.matcher(name).matches() || name.startsWith("goog")) {
      throw new IllegalArgumentException(
          "Pub/Sub name '"
              + name
              + "' in '"
              + context
              + "' is not valid: 3 to 255 letters, digits or - _ . ~ + %, starting with a letter"
              + " and not with 'goog'; e.g. "
              + example);
    }
    return new AutoValue_PubsubAddress(project, kind, name);
  }

  /**
   * Checks an attribute name given as {@code parameter}: Pub/Sub refuses empty names, names over
   * 256 bytes and names starting with {@code goog}.
   */
  static String requireAttributeName(String name, String parameter) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          parameter + " needs an attribute name, got " + (name == null ? "null" : "''"));
    }
    if (name.startsWith("goog") || name.getBytes(StandardCharsets.UTF_8).length > 256) {
      throw new IllegalArgumentException(
          parameter
              + " '"
              + name
              + "' is not a valid attribute name: at most 256 bytes, not starting with 'goog'"
              + " (e.g. event_id)");
    }
    return name;
  }
}
