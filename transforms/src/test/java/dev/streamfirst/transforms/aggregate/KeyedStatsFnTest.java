package dev.streamfirst.transforms.aggregate;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.KV;
import org.junit.Test;

public class KeyedStatsFnTest {
  private final KeyedStatsFn fn = new KeyedStatsFn();

  @Test
  public void merge_leavesEveryAccumulatorButTheFirstAsItWas() {
    Map<String, StatsFn.Accumulator> first = fn.createAccumulator();
    Map<String, StatsFn.Accumulator> second = fn.addInput(fn.createAccumulator(), KV.of("a", 1.0));
    Map<String, StatsFn.Accumulator> third = fn.addInput(fn.createAccumulator(), KV.of("a", 2.0));

    // "a" is missing from the first: the merge must not adopt the second's own accumulator and
    // then add the third into it.
    Map<String, StatsFn.Accumulator> merged = fn.mergeAccumulators(List.of(first, second, third));

    assertEquals(2, fn.extractOutput(merged).get("a").count());
    assertEquals(1, fn.extractOutput(second).get("a").count());
    assertEquals(1.0, fn.extractOutput(second).get("a").sum(), 0.0);
    assertEquals(1, fn.extractOutput(third).get("a").count());
  }
}
