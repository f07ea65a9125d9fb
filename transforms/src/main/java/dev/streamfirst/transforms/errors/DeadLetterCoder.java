package dev.streamfirst.transforms.errors;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;

/** A deterministic coder for {@link DeadLetter}. */
public final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
  private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final InstantCoder INSTANT = InstantCoder.of();

  public static DeadLetterCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} on {@link DeadLetter} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(DeadLetter.class), INSTANCE);
  }

  private DeadLetterCoder() {}

  @Override
  public void encode(DeadLetter letter, OutputStream out) throws IOException {
    STRING.encode(letter.payload(), out);
    STRING.encode(letter.error(), out);
    STRING.encode(letter.stage(), out);
    INSTANT.encode(letter.timestamp(), out);
  }

  @Override
  public DeadLetter decode(InputStream in) throws IOException {
    return DeadLetter.of(
        STRING.decode(in), STRING.decode(in), STRING.decode(in), INSTANT.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
