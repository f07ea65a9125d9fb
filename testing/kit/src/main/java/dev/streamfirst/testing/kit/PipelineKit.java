package dev.streamfirst.testing.kit;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Tests a whole pipeline, a catalogued one or your own, without files, URIs or servers: its source
 * is replaced by in-memory events or a {@code TestStream}, its sinks are captured, and you assert
 * on rows per window and pane and on dead letters by stage and reason. Get one from {@link
 * PipelineKitRule} (JUnit 4) or {@link PipelineKitExtension} (JUnit 5), which also fail a test that
 * states assertions but never runs them.
 *
 * <pre>{@code
 * @Rule public final PipelineKitRule kit = new PipelineKitRule();
 *
 * @Test
 * public void twoClicks_countedInOneMinute() {
 *   PipelineRun run = kit.pipeline("rollup").withArgs("--window=fixed:1m")
 *       .readEvents(event("c-1", "u1", at("10:00:05"), 1), event("c-2", "u1", at("10:00:30"), 2));
 *   run.rows().inOnTimePane(window(at("10:00"), minutes(1))).containsRows(row("key", "u1", "count", 2));
 *   run.run();
 * }
 * }</pre>
 *
 * <p>A pipeline of your own is tested the same way when it is built like the catalogued ones: a
 * factory from its options to a {@link Pipeline} that reads with {@code PipelineIo.read} and writes
 * with {@code PipelineIo.write} ({@code kit.pipeline(MyOptions.class, MyPipeline::create)}).
 */
public final class PipelineKit {
  private final List<PipelineRun> runs = new ArrayList<>();

  /** A kit on its own; the JUnit rule and extension make one per test. */
  public static PipelineKit create() {
    return new PipelineKit();
  }

  /**
   * A catalogued pipeline by name, e.g. {@code "rollup"}.
   *
   * @throws IllegalArgumentException naming the pipelines there are
   */
  public PipelineUnderTest<? extends PipelineOptions> pipeline(String name) {
    PipelineDefinition<?> definition =
        PipelineCatalog.find(name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no pipeline named '"
                            + name
                            + "'; the catalogue has "
                            + PipelineCatalog.all().stream()
                                .map(PipelineDefinition::name)
                                .collect(Collectors.joining(", "))));
    return pipeline(definition);
  }

  /** A pipeline by its definition, e.g. one of {@code PipelineCatalog.all()} or your own. */
  public <O extends PipelineOptions> PipelineUnderTest<O> pipeline(
      PipelineDefinition<O> definition) {
    return pipeline(definition.optionsClass(), o -> definition.create(o));
  }

  /** Your own pipeline: its options interface and its factory, e.g. {@code MyPipeline::create}. */
  public <O extends PipelineOptions> PipelineUnderTest<O> pipeline(
      Class<O> optionsClass, Function<O, Pipeline> factory) {
    if (optionsClass == null || factory == null) {
      throw new IllegalArgumentException(
          "pipeline() needs the options interface and the factory, e.g."
              + " pipeline(MyOptions.class, MyPipeline::create)");
    }
    return new PipelineUnderTest<>(this, optionsClass, factory);
  }

  PipelineRun track(PipelineRun run) {
    runs.add(run);
    return run;
  }

  /**
   * Fails when a run was prepared but never run: its assertions would pass without being checked.
   * The JUnit rule and extension call this after each test.
   */
  public void verifyAllRun() {
    long notRun = runs.stream().filter(run -> !run.hasRun()).count();
    runs.clear();
    if (notRun > 0) {
      throw new AssertionError(
          notRun
              + " pipeline run(s) were prepared but never run, so their assertions were not"
              + " checked: end the test with run.run()");
    }
  }
}
