package dev.streamfirst.testing.kit;

import dev.streamfirst.pipelines.PipelineDefinition;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.rules.TestRule;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * The {@link PipelineKit} as a JUnit 4 rule: a fresh kit per test, and a test that prepared a run
 * but never ran it fails.
 *
 * <pre>{@code
 * @Rule public final PipelineKitRule kit = new PipelineKitRule();
 *
 * @Test
 * public void malformedLine_isDeadLettered() {
 *   PipelineRun run = kit.pipeline("rollup").readLines("not json");
 *   run.deadLetters().inStage("parse").hasPayloads("not json");
 *   run.run();
 * }
 * }</pre>
 */
public final class PipelineKitRule implements TestRule {
  private PipelineKit kit = PipelineKit.create();

  @Override
  public Statement apply(Statement base, Description description) {
    return new Statement() {
      @Override
      public void evaluate() throws Throwable {
        kit = PipelineKit.create();
        base.evaluate();
        kit.verifyAllRun();
      }
    };
  }

  /** See {@link PipelineKit#pipeline(String)}. */
  public PipelineUnderTest<? extends PipelineOptions> pipeline(String name) {
    return kit.pipeline(name);
  }

  /** See {@link PipelineKit#pipeline(PipelineDefinition)}. */
  public <O extends PipelineOptions> PipelineUnderTest<O> pipeline(
      PipelineDefinition<O> definition) {
    return kit.pipeline(definition);
  }

  /** See {@link PipelineKit#pipeline(Class, Function)}. */
  public <O extends PipelineOptions> PipelineUnderTest<O> pipeline(
      Class<O> optionsClass, Function<O, Pipeline> factory) {
    return kit.pipeline(optionsClass, factory);
  }
}
