package dev.streamfirst.io.kafka;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** Offsets {@code [start, end)} of one partition, fixed when a bounded read is launched. */
@AutoValue
@DefaultCoder(SerializableCoder.class)
abstract class PartitionRange implements Serializable {
  abstract String topic();

  abstract int partition();

  abstract long start();

  abstract long end();

  static PartitionRange of(String topic, int partition, long start, long end) {
    return new AutoValue_PartitionRange(topic, partition, start, end);
  }
}
