package dev.streamfirst.transforms.errors;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What a transform that can fail per element returns: its output and its dead letters, so a caller
 * never writes if/else around failures and never makes tags. A composite with a further output (an
 * alert stream beside its rows) adds it under a tag of its own ({@link #and}, {@link #get}).
 *
 * <pre>{@code
 * Result<Event> parsed = lines.apply("ParseEvents", ParseEvents.create());
 * parsed.output();       // PCollection<Event>
 * parsed.deadLetters();  // PCollection<DeadLetter>
 * }</pre>
 */
public final class Result<T> implements POutput {
  private static final TupleTag<Object> OUTPUT = new TupleTag<>("output");
  private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");

  private final PCollection<T> output;
  private final PCollection<DeadLetter> deadLetters;
  private final Map<TupleTag<?>, PCollection<?>> others;

  private Result(
      PCollection<T> output,
      PCollection<DeadLetter> deadLetters,
      Map<TupleTag<?>, PCollection<?>> others) {
    this.output = output;
    this.deadLetters = deadLetters;
    this.others = others;
  }

  public static <T> Result<T> of(PCollection<T> output, PCollection<DeadLetter> deadLetters) {
    if (output == null || deadLetters == null) {
      throw new IllegalArgumentException(
          "Result.of() needs an output and dead letters, got " + output + " and " + deadLetters);
    }
    return new Result<>(output, deadLetters, Map.of());
  }

  /** The same result with one more output under {@code tag}. */
  public <A> Result<T> and(TupleTag<A> tag, PCollection<A> other) {
    if (tag == null || other == null || others.containsKey(tag)) {
      throw new IllegalArgumentException(
          "and() needs a new tag and a PCollection, got " + tag + " and " + other);
    }
    Map<TupleTag<?>, PCollection<?>> more = new LinkedHashMap<>(others);
    more.put(tag, other);
    return new Result<>(output, deadLetters, Map.copyOf(more));
  }

  /** What the transform produced. */
  public PCollection<T> output() {
    return output;
  }

  /** What it could not process, each with its payload, the reason and the stage. */
  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  /** The further output added under {@code tag}. */
  @SuppressWarnings("unchecked") // and() pairs each tag with a PCollection of its type
  public <A> PCollection<A> get(TupleTag<A> tag) {
    PCollection<?> other = others.get(tag);
    if (other == null) {
      throw new IllegalArgumentException("this result has no output " + tag);
    }
    return (PCollection<A>) other;
  }

  @Override
  public Pipeline getPipeline() {
    return output.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    Map<TupleTag<?>, PValue> all = new LinkedHashMap<>();
    all.put(OUTPUT, output);
    all.put(DEAD_LETTERS, deadLetters);
    all.putAll(others);
    return all;
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
