package dev.streamfirst.transforms.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.transforms.enrich.RecordingHandler.Failure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.joda.time.Duration;
import org.junit.AfterClass;
import org.junit.Test;

public class RetryingLookupTest {
  private static final ExecutorService CALLS = Executors.newCachedThreadPool();
  private static final Map<String, String> RECORDS = Map.of("a", "{\"n\":1}");

  private static LookupSettings settings(int retries, Duration timeout) {
    return LookupSettings.defaults().toBuilder()
        .setMaxRetries(retries)
        .setTimeout(timeout)
        .setInitialBackoff(Duration.millis(10))
        .setOnOutage(OnOutage.DEAD_LETTER)
        .build();
  }

  @AfterClass
  public static void stop() {
    CALLS.shutdownNow();
  }

  @Test
  public void transientFailures_areRetriedUntilTheCallSucceeds() {
    RecordingHandler handler =
        RecordingHandler.over("retry-ok", RECORDS).failingFirst(2, Failure.TRANSIENT);
    RetryingLookup.Outcome outcome =
        new RetryingLookup(handler, settings(3, Duration.standardSeconds(5)), CALLS)
            .call(List.of("a", "b"));
    assertTrue(outcome.succeeded());
    assertEquals(Map.of("a", "{\"n\":1}"), outcome.found());
    assertEquals(3, outcome.attempts());
  }

  @Test
  public void transientFailureBeyondRetries_failsWithTheAttemptsAndLastReason() {
    RecordingHandler handler =
        RecordingHandler.over("retry-exhausted", RECORDS).failingFirst(10, Failure.TRANSIENT);
    RetryingLookup.Outcome outcome =
        new RetryingLookup(handler, settings(2, Duration.standardSeconds(5)), CALLS)
            .call(List.of("a"));
    assertFalse(outcome.succeeded());
    assertEquals(3, outcome.attempts());
    assertThat(outcome.error(), containsString("lookup failed after 3 attempts"));
    assertThat(outcome.error(), containsString("service unavailable (attempt 3)"));
  }

  @Test
  public void permanentFailure_isNotRetried() {
    RecordingHandler handler =
        RecordingHandler.over("permanent", RECORDS).failingFirst(10, Failure.PERMANENT);
    RetryingLookup.Outcome outcome =
        new RetryingLookup(handler, settings(5, Duration.standardSeconds(5)), CALLS)
            .call(List.of("a"));
    assertFalse(outcome.succeeded());
    assertEquals(1, outcome.attempts());
    assertThat(outcome.error(), containsString("not retried"));
    assertThat(outcome.error(), containsString("bad request"));
  }

  @Test
  public void slowCall_timesOutAndTheRetryAnswers() {
    RecordingHandler handler = RecordingHandler.over("slow", RECORDS).failingFirst(1, Failure.SLOW);
    long started = System.nanoTime();
    RetryingLookup.Outcome outcome =
        new RetryingLookup(handler, settings(1, Duration.millis(200)), CALLS).call(List.of("a"));
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(outcome.succeeded());
    assertEquals(2, outcome.attempts());
    assertThat(tookMillis, lessThan(3_000L));
  }

  @Test
  public void slowCallBeyondRetries_failsNamingTheTimeout() {
    RecordingHandler handler =
        RecordingHandler.over("slow-always", RECORDS).failingFirst(10, Failure.SLOW);
    RetryingLookup.Outcome outcome =
        new RetryingLookup(handler, settings(0, Duration.millis(100)), CALLS).call(List.of("a"));
    assertFalse(outcome.succeeded());
    assertThat(
        outcome.error(), containsString("lookup failed after 1 attempt: timed out after 100ms"));
  }

  @Test
  public void outageBeyondRetries_isMarkedAsAnOutage_aPermanentFailureIsNot() {
    RetryingLookup.Outcome outage =
        new RetryingLookup(
                RecordingHandler.over("outage", RECORDS).failingFirst(10, Failure.TRANSIENT),
                settings(1, Duration.standardSeconds(5)),
                CALLS)
            .call(List.of("a"));
    RetryingLookup.Outcome permanent =
        new RetryingLookup(
                RecordingHandler.over("bad", RECORDS).failingFirst(10, Failure.PERMANENT),
                settings(1, Duration.standardSeconds(5)),
                CALLS)
            .call(List.of("a"));
    assertTrue(outage.outage());
    assertFalse(permanent.outage());
  }

  @Test
  public void withWait_anOutageLongerThanTheRetries_isWaitedOut() {
    RecordingHandler handler =
        RecordingHandler.over("wait", RECORDS).failingFirst(6, Failure.TRANSIENT);
    RetryingLookup.Outcome outcome =
        new RetryingLookup(
                handler,
                settings(2, Duration.standardSeconds(5)).withOnOutage(OnOutage.WAIT),
                CALLS)
            .call(List.of("a"));
    assertTrue(outcome.error(), outcome.succeeded());
    assertEquals(7, outcome.attempts());
  }

  @Test
  public void withWait_aPermanentFailure_isNotWaitedFor() {
    RetryingLookup.Outcome outcome =
        new RetryingLookup(
                RecordingHandler.over("bad-wait", RECORDS).failingFirst(10, Failure.PERMANENT),
                settings(2, Duration.standardSeconds(5)).withOnOutage(OnOutage.WAIT),
                CALLS)
            .call(List.of("a"));
    assertFalse(outcome.succeeded());
    assertEquals(1, outcome.attempts());
  }

  @Test
  public void callsThatIgnoreTheirTimeout_holdAtMostTwoThreadsPerAllowedCall() {
    LookupSettings settings =
        settings(5, Duration.millis(100)).withMaxConcurrency(1).withOnOutage(OnOutage.DEAD_LETTER);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    LookupHandler deaf =
        keys -> {
          // Like a JDBC driver: an interrupt does not end the call.
          while (true) {
            try {
              release.await();
              return Map.of();
            } catch (InterruptedException ignored) {
              // keep waiting
            }
          }
        };
    WorkerResources resources =
        WorkerResources.forTransform("deafcall-" + System.nanoTime(), settings);
    try {
      RetryingLookup.Outcome outcome =
          new RetryingLookup(deaf, settings, resources.calls()).call(List.of("a"));
      assertFalse(outcome.succeeded());
      assertEquals(6, outcome.attempts());
      assertThat(outcome.error(), containsString("every call thread is still held"));
      assertEquals(
          2, ((java.util.concurrent.ThreadPoolExecutor) resources.calls()).getLargestPoolSize());
    } finally {
      release.countDown();
    }
  }
}
