package dev.streamfirst.transforms.enrich;

import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Sends an element on with its record, or applies the miss policy; shared by the side-input and the
 * lookup paths so both treat misses and failures alike.
 */
final class Routing<T> implements Serializable {
  /** Where a routed element goes; the two DoFns output differently (in a bundle or at its end). */
  interface Outputs<T> {
    void enriched(Enriched<T> element);

    void deadLetter(DeadLetter letter);
  }

  private final SerializableFunction<T, String> payloadFn;
  private final OnMiss onMiss;
  private final Counter enriched = StreamfirstMetrics.counter(StreamfirstMetrics.ENRICH_ENRICHED);
  private final Counter notFound = StreamfirstMetrics.counter(StreamfirstMetrics.ENRICH_NOT_FOUND);
  private final Counter deadLetters = StreamfirstMetrics.counter(StreamfirstMetrics.DEAD_LETTERS);

  Routing(SerializableFunction<T, String> payloadFn, OnMiss onMiss) {
    this.payloadFn = payloadFn;
    this.onMiss = onMiss;
  }

  void found(T element, String key, @Nullable String reference, Outputs<T> out) {
    if (reference != null) {
      enriched.inc();
      out.enriched(Enriched.of(element, reference));
      return;
    }
    notFound.inc();
    boolean passes =
        switch (onMiss) {
          case PASS_THROUGH -> true;
          case DEAD_LETTER -> {
            fail(element, "no reference data for key '" + key + "'", out);
            yield false;
          }
          case DROP -> false;
        };
    if (passes) {
      enriched.inc();
      out.enriched(Enriched.of(element, null));
    }
  }

  void fail(T element, String reason, Outputs<T> out) {
    deadLetters.inc();
    out.deadLetter(DeadLetter.of(payloadFn.apply(element), reason, Enrich.STAGE, Instant.now()));
  }
}
