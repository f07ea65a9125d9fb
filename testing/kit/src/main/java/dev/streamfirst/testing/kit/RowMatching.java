package dev.streamfirst.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;

/**
 * Pairs expected rows with actual ones, each used once, so {@code containsRows} means "exactly
 * these rows, in any order". A row may match several expectations (they name only some fields), so
 * a greedy pairing could fail where a pairing exists: this finds one if there is one (Kuhn's
 * augmenting paths; the lists in a test are small).
 */
final class RowMatching {
  private RowMatching() {}

  static boolean matchesExactly(List<ExpectedRow> expected, List<JsonNode> actual) {
    if (expected.size() != actual.size()) {
      return false;
    }
    int[] actualTakenBy = new int[actual.size()];
    Arrays.fill(actualTakenBy, -1);
    for (int e = 0; e < expected.size(); e++) {
      if (!assign(e, expected, actual, actualTakenBy, new boolean[actual.size()])) {
        return false;
      }
    }
    return true;
  }

  private static boolean assign(
      int e, List<ExpectedRow> expected, List<JsonNode> actual, int[] takenBy, boolean[] seen) {
    for (int a = 0; a < actual.size(); a++) {
      if (seen[a] || !expected.get(e).matches(actual.get(a))) {
        continue;
      }
      seen[a] = true;
      if (takenBy[a] < 0 || assign(takenBy[a], expected, actual, takenBy, seen)) {
        takenBy[a] = e;
        return true;
      }
    }
    return false;
  }
}
