package dev.streamfirst.transforms.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A compact, deterministic coder for {@link Event}. Hand-written rather than schema-inferred
 * because events cross every shuffle of every pipeline, and this is the cheapest encoding that
 * stays deterministic (which state keys and dedup tie-breaks rely on).
 */
public final class EventCoder extends AtomicCoder<Event> {
  private static final EventCoder INSTANCE = new EventCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final InstantCoder INSTANT = InstantCoder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();

  public static EventCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} on {@link Event} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(Event.class), INSTANCE);
  }

  private EventCoder() {}

  @Override
  public void encode(Event event, OutputStream out) throws IOException {
    STRING.encode(event.id(), out);
    STRING.encode(event.key(), out);
    INSTANT.encode(event.timestamp(), out);
    DOUBLE.encode(event.value(), out);
    STRING.encode(event.payload(), out);
  }

  @Override
  public Event decode(InputStream in) throws IOException {
    return Event.of(
        STRING.decode(in),
        STRING.decode(in),
        INSTANT.decode(in),
        DOUBLE.decode(in),
        STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
