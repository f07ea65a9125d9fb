package dev.streamfirst.transforms.enrich;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.StructuredCoder;

/** Codes an {@link Enriched} as its element (with the element's coder) and the nullable record. */
public final class EnrichedCoder<T> extends StructuredCoder<Enriched<T>> {
  private static final Coder<String> REFERENCE = NullableCoder.of(StringUtf8Coder.of());

  private final Coder<T> elementCoder;

  private EnrichedCoder(Coder<T> elementCoder) {
    this.elementCoder = elementCoder;
  }

  public static <T> EnrichedCoder<T> of(Coder<T> elementCoder) {
    return new EnrichedCoder<>(elementCoder);
  }

  @Override
  public void encode(Enriched<T> value, OutputStream out) throws IOException {
    elementCoder.encode(value.element(), out);
    REFERENCE.encode(value.reference(), out);
  }

  @Override
  public Enriched<T> decode(InputStream in) throws IOException {
    T element = elementCoder.decode(in);
    return Enriched.of(element, REFERENCE.decode(in));
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of(elementCoder);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    verifyDeterministic(this, "the element coder must be deterministic", elementCoder);
  }
}
