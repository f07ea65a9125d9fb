package dev.streamfirst.transforms.errors;

import java.util.Locale;

/**
 * The class of reason a dead letter was refused for, a small fixed set of words that a metric label
 * or an alert can group by, where {@link DeadLetter#error()} is a sentence that names the field and
 * the value.
 *
 * <pre>{@code
 * DeadLetterReason.of(letter); // "missing_field" for "field 'ts' is missing"
 * }</pre>
 */
public final class DeadLetterReason {
  /** The payload's bytes are not valid UTF-8. */
  public static final String NOT_UTF8 = "not_utf8";

  /** The payload is not JSON. */
  public static final String NOT_JSON = "not_json";

  /** The payload is JSON but not an object. */
  public static final String NOT_OBJECT = "not_object";

  /** A required field is absent. */
  public static final String MISSING_FIELD = "missing_field";

  /** A field is present with the wrong type, an empty string or an unusable time. */
  public static final String BAD_FIELD = "bad_field";

  /** The event arrived after every window it belongs to had expired. */
  public static final String LATE = "late";

  /** Enrichment found no reference data for the key. */
  public static final String NOT_FOUND = "not_found";

  /** Enrichment could not get an answer (the lookup failed after its retries, or had no key). */
  public static final String LOOKUP_FAILED = "lookup_failed";

  /** Anything else. */
  public static final String OTHER = "other";

  private DeadLetterReason() {}

  /** The reason class of a dead letter, from its stage and the start of its error. */
  public static String of(DeadLetter letter) {
    String stage = letter.stage();
    String error = letter.error().toLowerCase(Locale.ROOT);
    if (stage.equals("late")) {
      return LATE;
    }
    if (stage.equals("enrich")) {
      return error.startsWith("no reference data") ? NOT_FOUND : LOOKUP_FAILED;
    }
    if (error.startsWith("payload is not valid utf-8")
        || letter.payloadEncoding() == DeadLetter.PayloadEncoding.BASE64) {
      return NOT_UTF8;
    }
    if (error.startsWith("not valid json")) {
      return NOT_JSON;
    }
    if (error.startsWith("expected a json object")) {
      return NOT_OBJECT;
    }
    if (error.startsWith("field '") && error.endsWith("' is missing")) {
      return MISSING_FIELD;
    }
    if (error.startsWith("field '")) {
      return BAD_FIELD;
    }
    return OTHER;
  }

  /**
   * A stage name as a metric name part: lower case letters, digits and underscores only, so every
   * runner's reporter keeps it as it is.
   */
  public static String metricPart(String stage) {
    String part = stage.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    return part.isEmpty() ? OTHER : part;
  }
}
