package dev.streamfirst.transforms.aggregate;

import static org.junit.Assert.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class KeyedPartialStatsFnTest {
  private final KeyedPartialStatsFn fn = new KeyedPartialStatsFn();

  private static Map<String, StatsFn.Accumulator> partial(String key, double... values) {
    StatsFn.Accumulator a = new StatsFn.Accumulator();
    for (double v : values) {
      a.add(v);
    }
    Map<String, StatsFn.Accumulator> m = new HashMap<>();
    m.put(key, a);
    return m;
  }

  @Test
  public void addInput_foldsPartialsPerKey_toWhatStatsFnGivesOnTheValues() {
    Map<String, StatsFn.Accumulator> acc = fn.createAccumulator();
    acc = fn.addInput(acc, partial("a", 1.0, 5.0));
    acc = fn.addInput(acc, partial("b", 7.0));
    acc = fn.addInput(acc, partial("a", -2.0));

    Map<String, Stats> out = fn.extractOutput(acc);

    StatsFn single = new StatsFn();
    StatsFn.Accumulator a = single.createAccumulator();
    for (double v : new double[] {1.0, 5.0, -2.0}) {
      a = single.addInput(a, v);
    }
    assertEquals(single.extractOutput(a), out.get("a"));
    assertEquals(1, out.get("b").count());
    assertEquals(2, out.size());
  }

  @Test
  public void merge_leavesEveryAccumulatorButTheFirstAsItWas() {
    Map<String, StatsFn.Accumulator> first = fn.createAccumulator();
    Map<String, StatsFn.Accumulator> second =
        fn.addInput(fn.createAccumulator(), partial("a", 1.0));
    Map<String, StatsFn.Accumulator> third = fn.addInput(fn.createAccumulator(), partial("a", 2.0));

    // "a" is missing from the first: the merge must not adopt the second's own accumulator and
    // then add the third into it.
    Map<String, StatsFn.Accumulator> merged = fn.mergeAccumulators(List.of(first, second, third));

    assertEquals(2, fn.extractOutput(merged).get("a").count());
    assertEquals(1, fn.extractOutput(second).get("a").count());
    assertEquals(1.0, fn.extractOutput(second).get("a").sum(), 0.0);
    assertEquals(1, fn.extractOutput(third).get("a").count());
  }
}
