package dev.streamfirst.transforms.enrich;

import dev.streamfirst.transforms.time.Durations;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One batch lookup with a timeout per attempt and retries, with exponential backoff and jitter, on
 * transient failures. It never throws: the {@link Outcome} says what happened, so the caller turns
 * a failure into dead letters instead of a crashed bundle.
 */
final class RetryingLookup {
  private final LookupHandler handler;
  private final LookupSettings settings;
  private final ExecutorService calls;
  private final FluentBackoff backoff;

  RetryingLookup(LookupHandler handler, LookupSettings settings, ExecutorService calls) {
    this.handler = handler;
    this.settings = settings;
    this.calls = calls;
    this.backoff =
        FluentBackoff.DEFAULT
            .withMaxRetries(settings.maxRetries())
            .withInitialBackoff(settings.initialBackoff())
            .withMaxBackoff(LookupSettings.MAX_BACKOFF);
  }

  /** Looks {@code keys} up, retrying transient failures; blocks until done or given up. */
  Outcome call(List<String> keys) {
    long started = System.nanoTime();
    BackOff waits = backoff.backoff();
    int attempts = 0;
    while (true) {
      attempts++;
      String failure;
      boolean retryable;
      Future<Map<String, String>> attempt = calls.submit(() -> handler.lookup(keys));
      try {
        Map<String, String> found =
            attempt.get(settings.timeout().getMillis(), TimeUnit.MILLISECONDS);
        return Outcome.success(found == null ? Map.of() : found, attempts, elapsed(started));
      } catch (TimeoutException e) {
        attempt.cancel(true);
        failure = "timed out after " + Durations.format(settings.timeout());
        retryable = true;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        failure = describe(cause);
        retryable = cause instanceof Exception && handler.isTransient((Exception) cause);
      } catch (InterruptedException e) {
        attempt.cancel(true);
        Thread.currentThread().interrupt();
        return Outcome.failure("interrupted", attempts, elapsed(started));
      }
      long wait = retryable ? nextWait(waits) : BackOff.STOP;
      if (wait == BackOff.STOP) {
        String reason =
            retryable
                ? "lookup failed after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                : "lookup failed (not retried)";
        return Outcome.failure(reason + ": " + failure, attempts, elapsed(started));
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Outcome.failure("interrupted: " + failure, attempts, elapsed(started));
      }
    }
  }

  private static long nextWait(BackOff waits) {
    try {
      return waits.nextBackOffMillis();
    } catch (java.io.IOException e) {
      return BackOff.STOP;
    }
  }

  private static long elapsed(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    String type = failure.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  /** What one batch lookup came to. */
  static final class Outcome {
    private final @Nullable Map<String, String> found;
    private final @Nullable String error;
    private final int attempts;
    private final long millis;

    private Outcome(
        @Nullable Map<String, String> found, @Nullable String error, int attempts, long millis) {
      this.found = found;
      this.error = error;
      this.attempts = attempts;
      this.millis = millis;
    }

    static Outcome success(Map<String, String> found, int attempts, long millis) {
      return new Outcome(found, null, attempts, millis);
    }

    static Outcome failure(String error, int attempts, long millis) {
      return new Outcome(null, error, attempts, millis);
    }

    boolean succeeded() {
      return found != null;
    }

    /** Key → record of the keys that have one; only when {@link #succeeded()}. */
    Map<String, String> found() {
      if (found == null) {
        throw new IllegalStateException("a failed lookup has no records: " + error);
      }
      return found;
    }

    /** Why it failed, in words; only when it did not succeed. */
    String error() {
      return error;
    }

    int attempts() {
      return attempts;
    }

    long millis() {
      return millis;
    }
  }
}
