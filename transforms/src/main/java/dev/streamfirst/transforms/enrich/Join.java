package dev.streamfirst.transforms.enrich;

import dev.streamfirst.transforms.events.Event;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * What both kinds of {@link Enrich} share: how an element's key and its dead-letter payload are
 * found, and what happens to an element whose key has no record.
 */
record Join<T>(
    SerializableFunction<T, String> keyFn, SerializableFunction<T, String> payloadFn, OnMiss onMiss)
    implements Serializable {

  static Join<Event> forEvents() {
    return new Join<>(Event::key, Event::payload, OnMiss.PASS_THROUGH);
  }

  Join<T> withKey(SerializableFunction<T, String> keyFn) {
    if (keyFn == null) {
      throw new IllegalArgumentException("withKey() needs a key function, got null");
    }
    return new Join<>(keyFn, payloadFn, onMiss);
  }

  Join<T> withOnMiss(OnMiss onMiss) {
    if (onMiss == null) {
      throw new IllegalArgumentException(
          "withOnMiss() needs a policy: PASS_THROUGH, DROP or DEAD_LETTER, got null");
    }
    return new Join<>(keyFn, payloadFn, onMiss);
  }

  <U> Join<U> forElements(
      SerializableFunction<U, String> keyFn, SerializableFunction<U, String> payloadFn) {
    if (keyFn == null || payloadFn == null) {
      throw new IllegalArgumentException(
          "forElements() needs a key function and a payload function, e.g."
              + " forElements(Row::key, Row::toJson)");
    }
    return new Join<>(keyFn, payloadFn, onMiss);
  }

  Routing<T> routing() {
    return new Routing<>(payloadFn, onMiss);
  }
}
