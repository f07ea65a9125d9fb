package dev.streamfirst.transforms.errors;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;

/**
 * A deterministic coder for {@link DeadLetter}: payload, error, stage, timestamp, then one byte for
 * the payload's encoding.
 */
public final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
  private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final InstantCoder INSTANT = InstantCoder.of();
  private static final DeadLetter.PayloadEncoding[] ENCODINGS = DeadLetter.PayloadEncoding.values();

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
    out.write(letter.payloadEncoding().ordinal());
  }

  @Override
  public DeadLetter decode(InputStream in) throws IOException {
    String payload = STRING.decode(in);
    String error = STRING.decode(in);
    String stage = STRING.decode(in);
    Instant timestamp = INSTANT.decode(in);
    int encoding = in.read();
    if (encoding < 0 || encoding >= ENCODINGS.length) {
      throw new CoderException("unknown dead-letter payload encoding " + encoding);
    }
    return DeadLetter.of(payload, error, stage, timestamp, ENCODINGS[encoding]);
  }

  @Override
  public void verifyDeterministic() {}
}
