package dev.streamfirst.transforms.enrich;

import dev.streamfirst.transforms.errors.DeadLetter;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/** Joins each element with its key's record from a side-input copy of the reference table. */
final class JoinReferenceFn<T> extends DoFn<T, Enriched<T>> {
  private final PCollectionView<Map<String, String>> reference;
  private final SerializableFunction<T, String> keyFn;
  private final Routing<T> routing;
  private final TupleTag<Enriched<T>> enrichedTag;
  private final TupleTag<DeadLetter> deadLetterTag;

  JoinReferenceFn(
      PCollectionView<Map<String, String>> reference,
      SerializableFunction<T, String> keyFn,
      Routing<T> routing,
      TupleTag<Enriched<T>> enrichedTag,
      TupleTag<DeadLetter> deadLetterTag) {
    this.reference = reference;
    this.keyFn = keyFn;
    this.routing = routing;
    this.enrichedTag = enrichedTag;
    this.deadLetterTag = deadLetterTag;
  }

  @ProcessElement
  public void process(ProcessContext context) {
    T element = context.element();
    Routing.Outputs<T> out =
        new Routing.Outputs<T>() {
          @Override
          public void enriched(Enriched<T> value) {
            context.output(enrichedTag, value);
          }

          @Override
          public void deadLetter(DeadLetter letter) {
            context.output(deadLetterTag, letter);
          }
        };
    String key = keyFn.apply(element);
    if (key == null) {
      routing.fail(element, "the key function gave no key", out);
      return;
    }
    routing.found(element, key, context.sideInput(reference).get(key), out);
  }
}
