package dev.streamfirst.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.pipelines.rollup.RollupOptions;
import dev.streamfirst.transforms.dedup.Dedup;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.joda.time.Duration;
import org.junit.Test;

/** The shared front reads its dedup settings from options and hands them to {@link Dedup}. */
public class CleanEventsTest {

  @Test
  public void dedupReleaseInterval_defaultsToDedups_andReachesTheDedupStep() {
    CleanEvents plain = read();
    CleanEvents slower = read("--dedupReleaseInterval=1s");

    assertEquals(Dedup.DEFAULT_RELEASE_INTERVAL, plain.dedupReleaseInterval());
    assertEquals(Duration.standardSeconds(1), slower.dedupReleaseInterval());
    assertEquals("1s", dedupDisplayItem(slower, "releaseInterval"));
    assertEquals("100ms", dedupDisplayItem(plain, "releaseInterval"));
  }

  private static CleanEvents read(String... flags) {
    RollupOptions options = PipelineOptionsFactory.fromArgs(flags).as(RollupOptions.class);
    OptionChecks checks = new OptionChecks();
    CleanEvents events = CleanEvents.read(options, checks).build();
    checks.throwIfAny();
    return events;
  }

  /** The value of one display item of the pipeline's Dedup step. */
  private static String dedupDisplayItem(CleanEvents events, String key) {
    Pipeline p = Pipeline.create();
    events.deduplicated(p.apply(Create.of("{}")));
    List<Dedup<?>> dedups = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof Dedup) {
              dedups.add((Dedup<?>) node.getTransform());
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    assertEquals(1, dedups.size());
    DisplayData.Item item =
        DisplayData.from(dedups.get(0)).items().stream()
            .filter(i -> i.getKey().equals(key))
            .findFirst()
            .orElse(null);
    assertNotNull("no display item " + key, item);
    return String.valueOf(item.getValue());
  }
}
