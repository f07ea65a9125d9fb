package dev.streamfirst.runners.flink.fixes;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.beam.runners.flink.translation.wrappers.streaming.DoFnOperator;
import org.apache.beam.runners.flink.translation.wrappers.streaming.WatermarkAfterBundleFactory;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSource;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.transformations.SourceTransformation;
import org.apache.flink.streaming.api.transformations.TwoInputTransformation;

/**
 * Corrects two defects of FlinkRunner 2.62 in a translated job, after Beam has turned the pipeline
 * into Flink transformations and before Flink turns those into a job graph:
 *
 * <ul>
 *   <li>every Beam step ({@code DoFnOperator}, including grouping and combining) passes its
 *       watermark on when a bundle ends by time, not only by count ({@link
 *       WatermarkAfterBundleFactory}), so streaming jobs need no one-element bundles;
 *   <li>every Beam source resumes from its checkpointed position when restored, instead of also
 *       reading from the start again ({@link ResumingSource}, apache/beam#31313).
 * </ul>
 *
 * <p>Flink keeps both the operator factory and the source in final fields of its transformations,
 * with no way to swap them; the translated graph is ours until submission, so they are set in
 * place. Remove a correction when the project's Beam version has the fix (each class says which).
 */
public final class FlinkStreamingFixes {
  private FlinkStreamingFixes() {}

  /** What was corrected, for logs and tests. */
  public record Applied(int operators, int sources) {}

  /** Corrects every transformation reachable from the environment's. */
  public static Applied applyTo(StreamExecutionEnvironment env) {
    int operators = 0;
    int sources = 0;
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
      }
    }
    return new Applied(operators, sources);
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
