package dev.streamfirst.runners;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;

/**
 * A built pipeline about to be run: its options, which of them the user gave, and what the pipeline
 * asks of its runner (streaming, which transforms). {@link RunnerDefaults} and {@link RunnerCheck}s
 * look at this, never at a pipeline's own code.
 */
public final class PlannedRun {
  private final PipelineOptions options;
  private final Pipeline pipeline;
  private final Map<String, String> given;
  private final boolean unbounded;
  private final List<PTransform<?, ?>> transforms;
  private final List<String> outputs;

  private PlannedRun(
      PipelineOptions options,
      Pipeline pipeline,
      Map<String, String> given,
      boolean unbounded,
      List<PTransform<?, ?>> transforms,
      List<String> outputs) {
    this.options = options;
    this.pipeline = pipeline;
    this.given = given;
    this.unbounded = unbounded;
    this.transforms = transforms;
    this.outputs = outputs;
  }

  /** Looks at the built {@code pipeline}; {@code flags} are the command-line flags as given. */
  public static PlannedRun of(Pipeline pipeline, String... flags) {
    Shape shape = new Shape();
    pipeline.traverseTopologically(shape);
    return new PlannedRun(
        pipeline.getOptions(),
        pipeline,
        givenOptions(flags),
        shape.unbounded,
        Collections.unmodifiableList(shape.transforms),
        List.copyOf(shape.outputs));
  }

  /** The option names among {@code flags}: {@code --a=1 --b} gives {@code a, b}. */
  public static Set<String> givenOptionNames(String... flags) {
    return givenOptions(flags).keySet();
  }

  /**
   * The options among {@code flags} by name: {@code --a=1 --b} gives {@code a → --a=1, b → --b}.
   */
  static Map<String, String> givenOptions(String... flags) {
    Map<String, String> names = new LinkedHashMap<>();
    Arrays.stream(flags)
        .filter(f -> f.startsWith("--") && f.length() > 2)
        .forEach(f -> names.put(f.substring(2, f.contains("=") ? f.indexOf('=') : f.length()), f));
    return Collections.unmodifiableMap(names);
  }

  public PipelineOptions options() {
    return options;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  public Class<? extends PipelineRunner<?>> runner() {
    return options.getRunner();
  }

  /** Whether the user set this option (so defaults leave it alone). */
  public boolean given(String option) {
    return given.containsKey(option);
  }

  /** The options the user set, as named on the command line. */
  public Set<String> givenOptions() {
    return given.keySet();
  }

  /**
   * The flag as the user wrote it, e.g. {@code --parallelism=4}, for messages; null if not given.
   */
  public String flag(String option) {
    return given.get(option);
  }

  /** Whether any collection is unbounded: the pipeline can only run as a streaming job. */
  public boolean unbounded() {
    return unbounded;
  }

  /** Whether it will run as a streaming job: an unbounded source, or {@code --streaming}. */
  public boolean streaming() {
    return unbounded || options.as(StreamingOptions.class).isStreaming();
  }

  /**
   * Whether a step needs stable input ({@code @RequiresStableInput}, as KafkaIO's exactly-once
   * writer): what it is given must be the same when a bundle is retried, which runners keep in
   * different ways, or not at all.
   */
  public boolean requiresStableInput() {
    return transforms.stream()
        .anyMatch(
            t ->
                t instanceof ParDo.MultiOutput
                    && DoFnSignatures.getSignature(((ParDo.MultiOutput<?, ?>) t).getFn().getClass())
                        .processElement()
                        .requiresStableInput());
  }

  /** Every transform in the pipeline, composites and their parts, in topological order. */
  public List<PTransform<?, ?>> transforms() {
    return transforms;
  }

  /**
   * What the pipeline writes besides dead letters, as its top-level write steps name it: {@code
   * WriteRows} and {@code WriteAlerts} give {@code Rows, Alerts}.
   */
  public List<String> outputs() {
    return outputs;
  }

  private static final class Shape extends Pipeline.PipelineVisitor.Defaults {
    private static final String WRITE = "Write";
    private boolean unbounded;
    private final List<PTransform<?, ?>> transforms = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();

    @Override
    public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
      if (node.getTransform() != null) {
        transforms.add(node.getTransform());
        String name = node.getFullName();
        if (name.startsWith(WRITE)
            && name.length() > WRITE.length()
            && !name.contains("/")
            && !name.equals("WriteDeadLetters")) {
          outputs.add(name.substring(WRITE.length()));
        }
      }
      return CompositeBehavior.ENTER_TRANSFORM;
    }

    @Override
    public void visitPrimitiveTransform(TransformHierarchy.Node node) {
      transforms.add(node.getTransform());
    }

    @Override
    public void visitValue(PValue value, TransformHierarchy.Node producer) {
      if (value instanceof PCollection
          && ((PCollection<?>) value).isBounded() == PCollection.IsBounded.UNBOUNDED) {
        unbounded = true;
      }
    }
  }
}
