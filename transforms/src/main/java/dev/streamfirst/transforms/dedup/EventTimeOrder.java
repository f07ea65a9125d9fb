package dev.streamfirst.transforms.dedup;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * The order in which event-time dedup decides: by event time, and elements with equal event times
 * by their encoding, so that every runner, and the bounded and the streaming path alike, lets the
 * same copy through.
 */
final class EventTimeOrder {
  private EventTimeOrder() {}

  static <T> Comparator<TimestampedValue<T>> of(Coder<T> coder) {
    return Comparator.comparing(TimestampedValue<T>::getTimestamp)
        .thenComparing((a, b) -> compareEncodings(coder, a.getValue(), b.getValue()));
  }

  private static <T> int compareEncodings(Coder<T> coder, T a, T b) {
    try {
      return Arrays.compareUnsigned(
          CoderUtils.encodeToByteArray(coder, a), CoderUtils.encodeToByteArray(coder, b));
    } catch (CoderException e) {
      throw new IllegalStateException("cannot encode an element to order it", e);
    }
  }
}
