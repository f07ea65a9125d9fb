package dev.streamfirst.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.SerializableFunction;

/** The check PAssert runs on the rows of one selection (a pane of a window, or all of them). */
final class RowsCheck implements SerializableFunction<Iterable<String>, Void> {
  private static final long serialVersionUID = 1L;

  private final String where;
  private final ArrayList<ExpectedRow> expected;

  RowsCheck(String where, List<ExpectedRow> expected) {
    this.where = where;
    this.expected = new ArrayList<>(expected);
  }

  @Override
  public Void apply(Iterable<String> lines) {
    List<JsonNode> actual = JsonLines.parse(lines, where);
    if (!RowMatching.matchesExactly(expected, actual)) {
      throw new AssertionError(
          where
              + ": expected exactly "
              + (expected.isEmpty() ? "no rows" : expected)
              + "\n  but got:\n    "
              + JsonLines.describe(lines));
    }
    return null;
  }
}
