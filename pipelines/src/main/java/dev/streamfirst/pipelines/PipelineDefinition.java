package dev.streamfirst.pipelines;

import com.google.auto.value.AutoValue;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;

/** A pipeline that can be launched by name: its options interface and how to build it. */
@AutoValue
public abstract class PipelineDefinition<O extends PipelineOptions> {
  public abstract String name();

  /** One line, for listings. */
  public abstract String description();

  public abstract Class<O> optionsClass();

  abstract Function<O, Pipeline> factory();

  public static <O extends PipelineOptions> PipelineDefinition<O> of(
      String name, String description, Class<O> optionsClass, Function<O, Pipeline> factory) {
    return new AutoValue_PipelineDefinition<>(name, description, optionsClass, factory);
  }

  /** Checks the options and builds the pipeline; bad options throw naming the option. */
  public Pipeline create(PipelineOptions options) {
    return factory().apply(options.as(optionsClass()));
  }
}
