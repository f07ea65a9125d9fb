package dev.streamfirst.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/** The order of each round and the median over rounds. */
public class RoundsTest {
  private static final List<String> PLAN = List.of("a", "b", "c", "d");

  @Test
  public void firstRound_isThePlan() {
    assertEquals(PLAN, Rounds.order(PLAN, 0));
  }

  @Test
  public void laterRounds_rotate() {
    assertEquals(List.of("b", "c", "d", "a"), Rounds.order(PLAN, 1));
    assertEquals(List.of("c", "d", "a", "b"), Rounds.order(PLAN, 2));
  }

  @Test
  public void asManyRoundsAsSteps_eachStepGoesFirstOnceAndLastOnce() {
    Set<String> first = new HashSet<>();
    Set<String> last = new HashSet<>();
    for (int round = 0; round < PLAN.size(); round++) {
      List<String> order = Rounds.order(PLAN, round);
      first.add(order.get(0));
      last.add(order.get(order.size() - 1));
    }
    assertEquals(Set.copyOf(PLAN), first);
    assertEquals(Set.copyOf(PLAN), last);
  }

  @Test
  public void twoRounds_noStepIsFirstOrLastInBoth() {
    List<String> one = Rounds.order(PLAN, 0);
    List<String> two = Rounds.order(PLAN, 1);
    assertNotEquals(one.get(0), two.get(0));
    assertNotEquals(one.get(one.size() - 1), two.get(two.size() - 1));
  }

  @Test
  public void roundsBeyondThePlanSize_wrapAround() {
    assertEquals(Rounds.order(PLAN, 1), Rounds.order(PLAN, 5));
  }

  @Test
  public void emptyPlan_staysEmpty() {
    assertEquals(List.of(), Rounds.order(List.of(), 3));
  }

  @Test
  public void median_ofOddCount_isTheMiddleValue() {
    assertEquals(2.0, Rounds.median(List.of(3.0, 1.0, 2.0)), 0);
    assertEquals(7.5, Rounds.median(List.of(7.5)), 0);
  }

  @Test
  public void median_ofEvenCount_isTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, Rounds.median(List.of(4.0, 1.0, 3.0, 2.0)), 0);
  }

  @Test
  public void median_ofNothing_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> Rounds.median(List.of()));
  }
}
