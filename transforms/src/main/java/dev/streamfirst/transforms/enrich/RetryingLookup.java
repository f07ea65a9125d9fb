package dev.streamfirst.transforms.enrich;

import dev.streamfirst.transforms.time.Durations;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch lookup with a timeout per attempt and retries, with exponential backoff and jitter, on
 * transient failures. With {@link OnOutage#WAIT} a transient failure is retried, at most every 10
 * s, until the service answers. It never throws: the {@link Outcome} says what happened, and the
 * caller decides between dead letters and a failed bundle.
 */
final class RetryingLookup {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingLookup.class);

  /** While waiting out an outage, how often to say so in the log. */
  private static final long OUTAGE_LOG_EVERY_MILLIS = 30_000;

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
    long loggedAt = 0;
    BackOff waits = backoff.backoff();
    BackOff outageWaits = null;
    int attempts = 0;
    while (true) {
      attempts++;
      Attempt result = attempt(keys);
      if (result.found != null) {
        if (loggedAt != 0) {
          LOG.info("{} answers again after {} attempts", handler, attempts);
        }
        return Outcome.success(result.found, attempts, elapsed(started));
      }
      if (result.interrupted) {
        return Outcome.failure("interrupted", false, attempts, elapsed(started));
      }
      long wait = result.retryable ? nextWait(waits) : BackOff.STOP;
      if (wait == BackOff.STOP && result.retryable && settings.onOutage() == OnOutage.WAIT) {
        // An outage: wait it out rather than turn every event into a dead letter, backing off
        // further up to 10 s between attempts.
        if (outageWaits == null) {
          outageWaits =
              FluentBackoff.DEFAULT
                  .withInitialBackoff(settings.initialBackoff())
                  .withMaxBackoff(LookupSettings.MAX_BACKOFF)
                  .backoff();
        }
        wait = nextWait(outageWaits);
        long now = System.nanoTime();
        if (loggedAt == 0
            || TimeUnit.NANOSECONDS.toMillis(now - loggedAt) >= OUTAGE_LOG_EVERY_MILLIS) {
          LOG.warn(
              "{} has failed {} times in {} s ({}); waiting for it (onOutage=WAIT)",
              handler,
              attempts,
              elapsed(started) / 1000,
              result.failure);
          loggedAt = now;
        }
      }
      if (wait == BackOff.STOP) {
        String reason =
            result.retryable
                ? "lookup failed after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                : "lookup failed (not retried)";
        return Outcome.failure(
            reason + ": " + result.failure, result.retryable, attempts, elapsed(started));
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Outcome.failure("interrupted: " + result.failure, false, attempts, elapsed(started));
      }
    }
  }

  /** One attempt, bounded by the timeout. */
  private Attempt attempt(List<String> keys) {
    Future<Map<String, String>> call;
    try {
      call = calls.submit(() -> handler.lookup(keys, settings.timeout()));
    } catch (RejectedExecutionException e) {
      return Attempt.failed(
          "every call thread is still held by an earlier call that did not return in time", true);
    }
    try {
      Map<String, String> found = call.get(settings.timeout().getMillis(), TimeUnit.MILLISECONDS);
      return new Attempt(found == null ? Map.of() : found, null, false, false);
    } catch (TimeoutException e) {
      call.cancel(true);
      return Attempt.failed("timed out after " + Durations.format(settings.timeout()), true);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return Attempt.failed(
          describe(cause), cause instanceof Exception && handler.isTransient((Exception) cause));
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      return new Attempt(null, "interrupted", false, true);
    }
  }

  private record Attempt(
      @Nullable Map<String, String> found,
      @Nullable String failure,
      boolean retryable,
      boolean interrupted) {
    static Attempt failed(String failure, boolean retryable) {
      return new Attempt(null, failure, retryable, false);
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
    private final boolean outage;
    private final int attempts;
    private final long millis;

    private Outcome(
        @Nullable Map<String, String> found,
        @Nullable String error,
        boolean outage,
        int attempts,
        long millis) {
      this.found = found;
      this.error = error;
      this.outage = outage;
      this.attempts = attempts;
      this.millis = millis;
    }

    static Outcome success(Map<String, String> found, int attempts, long millis) {
      return new Outcome(found, null, false, attempts, millis);
    }

    /** A failure; {@code outage} says the service still failed transiently after the retries. */
    static Outcome failure(String error, boolean outage, int attempts, long millis) {
      return new Outcome(null, error, outage, attempts, millis);
    }

    /** Whether it failed because the service was still failing transiently after the retries. */
    boolean outage() {
      return outage;
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
