package dev.streamfirst.transforms.enrich;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Looks reference records up in an external system, many keys per call: a database ({@code WHERE
 * key IN (...)}), an HTTP service (one batch request), a key-value store.
 *
 * <p>{@link Enrich#fromLookup} wraps it with what every lookup needs and no handler should write
 * again: a per-worker cache, batching, bounded concurrency, a timeout, retries with exponential
 * backoff, and dead letters for what still fails. A handler only says how to ask, like the {@code
 * Caller} of Beam's RequestResponseIO.
 *
 * <p>A handler is serialized with the pipeline; open connections in {@link #setup()}, not in the
 * constructor. {@link #lookup} is called from several threads at once (up to the transform's
 * concurrency), so it must be thread-safe.
 *
 * <pre>{@code
 * class AccountService implements LookupHandler {
 *   public Map<String, String> lookup(List<String> keys) throws Exception {
 *     return client.fetchProfiles(keys); // key -> JSON object; absent keys are misses
 *   }
 * }
 * events.apply("Enrich", Enrich.fromLookup(new AccountService()).withBatchSize(100));
 * }</pre>
 */
public interface LookupHandler extends Serializable {

  /** Opens connections; called once per handler instance on a worker, before any lookup. */
  default void setup() throws Exception {}

  /**
   * The records of the given distinct keys, each a JSON object text. A key absent from the result
   * has no reference data (a miss), which is not a failure.
   *
   * @throws Exception when the lookup failed; {@link #isTransient} decides whether it is retried
   */
  Map<String, String> lookup(List<String> keys) throws Exception;

  /**
   * As {@link #lookup(List)}, for a call that is abandoned after {@code timeout}. A handler whose
   * client ignores interrupts (JDBC drivers do) should bound the call itself, e.g. with a statement
   * timeout, so that an abandoned call frees its connection and thread; by default this calls
   * {@link #lookup(List)}.
   */
  default Map<String, String> lookup(List<String> keys, org.joda.time.Duration timeout)
      throws Exception {
    return lookup(keys);
  }

  /**
   * Whether a failure may go away when the call is repeated. By default: I/O errors, timeouts,
   * transient or recoverable SQL errors, and {@link LookupException}s marked transient.
   */
  default boolean isTransient(Exception failure) {
    if (failure instanceof LookupException) {
      return ((LookupException) failure).isTransient();
    }
    return failure instanceof IOException
        || failure instanceof UncheckedIOException
        || failure instanceof TimeoutException
        || failure instanceof SQLTransientException
        || failure instanceof SQLRecoverableException;
  }

  /** Closes what {@link #setup()} opened. */
  default void teardown() throws Exception {}
}
