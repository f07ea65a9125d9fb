package dev.streamfirst.runners.flink.fixes;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.beam.runners.flink.translation.functions.ImpulseSourceFunction;
import org.apache.beam.runners.flink.translation.wrappers.streaming.DoFnOperator;
import org.apache.beam.runners.flink.translation.wrappers.streaming.WatermarkAfterBundleFactory;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSource;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.transformations.LegacySourceTransformation;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.transformations.SourceTransformation;
import org.apache.flink.streaming.api.transformations.TwoInputTransformation;

/**
 * Corrects four defects of FlinkRunner 2.62 in a translated job, after Beam has turned the pipeline
 * into Flink transformations and before Flink turns those into a job graph:
 *
 * <ul>
 *   <li>every Beam step ({@code DoFnOperator}, including grouping and combining) passes its
 *       watermark on when a bundle ends by time, not only by count ({@link
 *       WatermarkAfterBundleFactory}), so streaming jobs need no one-element bundles;
 *   <li>every Beam source resumes from its checkpointed position when restored, instead of also
 *       reading from the start again ({@link ResumingSource}, apache/beam#31313), and passes its
 *       metrics to Flink at most twice a second rather than after every record ({@link
 *       SourceMetricsThrottle});
 *   <li>a streaming {@code Impulse} keeps the same operator id at every parallelism, so that a job
 *       can be restored from a savepoint at another parallelism (rescaled).
 * </ul>
 *
 * <p>Flink keeps both the operator factory and the source in final fields of its transformations,
 * with no way to swap them; the translated graph is ours until submission, so they are set in
 * place. Remove a correction when the project's Beam version has the fix (each class says which).
 */
public final class FlinkStreamingFixes {
  private FlinkStreamingFixes() {}

  /** What was corrected, for logs and tests. */
  public record Applied(int operators, int sources, int impulses) {}

  /** Corrects every transformation reachable from the environment's. */
  public static Applied applyTo(StreamExecutionEnvironment env) {
    int operators = 0;
    int sources = 0;
    int impulses = 0;
    for (Transformation<?> transformation : reachable(env)) {
      if (transformation instanceof OneInputTransformation<?, ?> one
          && correctOperator(one, one.getOperatorFactory())) {
        operators++;
      } else if (transformation instanceof TwoInputTransformation<?, ?, ?> two
          && correctOperator(two, two.getOperatorFactory())) {
        operators++;
      } else if (transformation instanceof SourceTransformation<?, ?, ?> source
          && correctSource(source)) {
        sources++;
      } else if (transformation instanceof LegacySourceTransformation<?> legacy
          && unchainImpulse(legacy)) {
        impulses++;
      }
    }
    return new Applied(operators, sources, impulses);
  }

  private static Set<Transformation<?>> reachable(StreamExecutionEnvironment env) {
    Set<Transformation<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Transformation<?>> todo = new ArrayDeque<>(env.getTransformations());
    while (!todo.isEmpty()) {
      Transformation<?> next = todo.pop();
      if (seen.add(next)) {
        todo.addAll(next.getInputs());
      }
    }
    return seen;
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static boolean correctOperator(
      Transformation<?> transformation, StreamOperatorFactory<?> factory) {
    if (!(factory instanceof SimpleOperatorFactory<?> simple)
        || factory instanceof WatermarkAfterBundleFactory
        || !(simple.getOperator() instanceof DoFnOperator<?, ?> operator)) {
      return false;
    }
    set(transformation, "operatorFactory", new WatermarkAfterBundleFactory(operator));
    return true;
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static boolean correctSource(SourceTransformation<?, ?, ?> transformation) {
    if (!(transformation.getSource() instanceof FlinkSource<?, ?> source)) {
      return false;
    }
    set(transformation, "source", new ResumingSource(source));
    return true;
  }

  /**
   * FlinkRunner translates a streaming {@code Impulse} to a source of parallelism 1 with state (it
   * has fired) but gives it no uid, so Flink derives its operator id from the graph, and that
   * counts the operators chained to it: at parallelism 1 the step after it is chained, at 2 it is
   * not, and a savepoint taken at one parallelism names an operator that the job at the other has
   * not ("Cannot map checkpoint/savepoint state for operator ..."). Never chained, it gets the id
   * it always had at parallelism 2 and above, whatever the parallelism: savepoints of such jobs
   * still restore. It emits one element in the life of a job, so the lost chaining costs nothing.
   */
  private static boolean unchainImpulse(LegacySourceTransformation<?> transformation) {
    if (!(transformation.getOperator().getUserFunction() instanceof ImpulseSourceFunction)
        || transformation.getOperatorFactory().getChainingStrategy() == ChainingStrategy.NEVER) {
      return false;
    }
    transformation.setChainingStrategy(ChainingStrategy.NEVER);
    return true;
  }

  private static void set(Object target, String fieldName, Object value) {
    try {
      Field field = target.getClass().getDeclaredField(fieldName);
      field.setAccessible(true);
      field.set(target, value);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot correct "
              + target.getClass().getSimpleName()
              + "."
              + fieldName
              + " for this Flink version; the FlinkRunner corrections are made for Flink 1.19",
          e);
    }
  }
}
