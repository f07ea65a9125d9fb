package dev.streamfirst.benchmarks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.benchmarks.ScalingBenchmark.Settings;
import java.util.List;
import org.junit.Test;

/** The scaling benchmark's flags and how it names a Flink task in its report. */
public class ScalingBenchmarkSettingsTest {
  @Test
  public void defaults_bothParallelismsWithAndWithoutSkew_twice() {
    Settings s = Settings.parse();

    assertEquals(List.of(1, 2), s.parallelism);
    assertEquals(List.of(0.0, 0.5), s.skew);
    assertEquals(2, s.repeats);
  }

  @Test
  public void lists_areCommaSeparated() {
    Settings s = Settings.parse("--parallelism=2", "--skew=0.9", "--events=1000");

    assertEquals(List.of(2), s.parallelism);
    assertEquals(List.of(0.9), s.skew);
    assertEquals(1000, s.events);
  }

  @Test
  public void skewOfOne_isRefused_namingTheFlag() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.parse("--skew=1"));

    assertThat(e.getMessage(), containsString("--skew"));
  }

  @Test
  public void unknownFlag_listsTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Settings.parse("--rate=5"));

    assertThat(e.getMessage(), containsString("--parallelism"));
  }

  @Test
  public void shortName_keepsTheChainsHeadAndTail() {
    assertEquals(
        "Rollup/Dedup/DropDuplicates → … → Rollup/Aggregate/CombineInBundle",
        ScalingBenchmark.shortName(
            "Rollup/Dedup/DropDuplicates -> Rollup/Window/ShardForLateCheck ->"
                + " Rollup/Aggregate/CombineInBundle"));
    assertEquals("Source: ReadEvents", ScalingBenchmark.shortName("Source: ReadEvents"));
  }
}
