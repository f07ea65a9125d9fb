package dev.streamfirst.testing.kit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.runners.PTransformOverride;
import org.apache.beam.sdk.runners.PTransformOverrideFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TaggedPValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Swaps a built pipeline's IO for the test's: its one source step for the test's input, and every
 * {@code Write<Name>} step for a step that discards, keeping each one's input as the captured
 * output {@code <Name>}.
 *
 * <p>The swap happens in the pipeline's graph after it is built, so the pipeline's code is exactly
 * what runs in production: no test flag, no test sink in {@code src/main}. It relies on the
 * convention every Streamfirst pipeline follows through {@code PipelineIo}: one root step reads,
 * and each output is written by a top-level step named {@code Write<Name>}.
 */
final class IoSwap {
  private IoSwap() {}

  /** The steps of {@code pipeline} that read and write, found by the convention above. */
  record Steps(String source, Map<String, PCollection<String>> outputs) {}

  @SuppressWarnings("unchecked")
  static Steps find(Pipeline pipeline) {
    List<String> sources = new ArrayList<>();
    Map<String, PCollection<String>> outputs = new LinkedHashMap<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.isRootNode()) {
              return CompositeBehavior.ENTER_TRANSFORM;
            }
            visitTopLevel(node);
            return CompositeBehavior.DO_NOT_ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            visitTopLevel(node);
          }

          private void visitTopLevel(TransformHierarchy.Node node) {
            if (!node.getEnclosingNode().isRootNode()) {
              return;
            }
            String name = node.getFullName();
            if (node.getInputs().isEmpty() && node.getOutputs().size() == 1) {
              sources.add(name);
            } else if (name.startsWith("Write")
                && name.length() > "Write".length()
                && node.getOutputs().isEmpty()
                && node.getInputs().size() == 1) {
              PValue input = node.getInputs().values().iterator().next();
              outputs.put(name.substring("Write".length()), (PCollection<String>) input);
            }
          }
        });
    if (sources.size() != 1) {
      throw new IllegalStateException(
          "the pipeline under test must read from exactly one source step (as PipelineIo.read"
              + " does); found "
              + sources);
    }
    return new Steps(sources.get(0), outputs);
  }

  /** Replaces the source step by {@code input} and every write step by one that discards. */
  static void swap(Pipeline pipeline, Steps steps, PTransform<PBegin, PCollection<String>> input) {
    String sinkPrefix = "Write";
    pipeline.replaceAll(
        List.of(
            PTransformOverride.of(
                applied -> applied.getFullName().equals(steps.source()), new SourceFactory(input)),
            PTransformOverride.of(
                applied ->
                    applied.getFullName().startsWith(sinkPrefix)
                        && steps
                            .outputs()
                            .containsKey(applied.getFullName().substring(sinkPrefix.length())),
                new DiscardFactory())));
  }

  /** Puts the test's input where the source was; its output takes the source's place. */
  private static final class SourceFactory
      implements PTransformOverrideFactory<
          PBegin, PCollection<String>, PTransform<PBegin, PCollection<String>>> {
    private final PTransform<PBegin, PCollection<String>> input;

    SourceFactory(PTransform<PBegin, PCollection<String>> input) {
      this.input = input;
    }

    @Override
    public PTransformReplacement<PBegin, PCollection<String>> getReplacementTransform(
        AppliedPTransform<PBegin, PCollection<String>, PTransform<PBegin, PCollection<String>>>
            transform) {
      return PTransformReplacement.of(transform.getPipeline().begin(), input);
    }

    @Override
    public Map<PCollection<?>, ReplacementOutput> mapOutputs(
        Map<TupleTag<?>, PCollection<?>> outputs, PCollection<String> newOutput) {
      PCollection<?> original = outputs.values().iterator().next();
      // Keyed by the new output: the graph looks its outputs up to find what they replace.
      return Collections.singletonMap(
          newOutput,
          ReplacementOutput.of(
              TaggedPValue.ofExpandedValue(original), TaggedPValue.ofExpandedValue(newOutput)));
    }
  }

  /** Puts a step that writes nothing where a sink was. */
  private static final class DiscardFactory
      implements PTransformOverrideFactory<
          PCollection<String>, PDone, PTransform<PCollection<String>, PDone>> {
    @Override
    @SuppressWarnings("unchecked")
    public PTransformReplacement<PCollection<String>, PDone> getReplacementTransform(
        AppliedPTransform<PCollection<String>, PDone, PTransform<PCollection<String>, PDone>>
            transform) {
      PCollection<String> input =
          (PCollection<String>) transform.getInputs().values().iterator().next();
      return PTransformReplacement.of(input, new Discard());
    }

    @Override
    public Map<PCollection<?>, ReplacementOutput> mapOutputs(
        Map<TupleTag<?>, PCollection<?>> outputs, PDone newOutput) {
      return Collections.emptyMap();
    }
  }

  /** The captured output is asserted on elsewhere; here it only has to end. */
  private static final class Discard extends PTransform<PCollection<String>, PDone> {
    @Override
    public PDone expand(PCollection<String> lines) {
      lines.apply("Discard", ParDo.of(new DiscardFn()));
      return PDone.in(lines.getPipeline());
    }
  }

  private static final class DiscardFn extends DoFn<String, Void> {
    @ProcessElement
    public void processElement() {}
  }
}
