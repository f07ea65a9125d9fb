package dev.streamfirst.transforms.enrich;

/**
 * A failed lookup that says whether repeating it may help: an HTTP 503 is transient, an HTTP 400 is
 * not.
 *
 * <pre>{@code
 * throw LookupException.transientFailure("HTTP 503 from " + uri);
 * }</pre>
 */
public class LookupException extends Exception {
  private final boolean isTransient;

  public LookupException(String message, boolean isTransient) {
    super(message);
    this.isTransient = isTransient;
  }

  public LookupException(String message, boolean isTransient, Throwable cause) {
    super(message, cause);
    this.isTransient = isTransient;
  }

  /** A failure worth retrying. */
  public static LookupException transientFailure(String message) {
    return new LookupException(message, true);
  }

  /** A failure that repeating the call will not fix. */
  public static LookupException permanentFailure(String message) {
    return new LookupException(message, false);
  }

  public boolean isTransient() {
    return isTransient;
  }
}
