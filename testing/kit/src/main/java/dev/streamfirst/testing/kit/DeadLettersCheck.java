package dev.streamfirst.testing.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * The check PAssert runs on dead letters: those of a stage (and whose reason contains a text), then
 * their count or their exact payloads.
 */
final class DeadLettersCheck implements SerializableFunction<Iterable<String>, Void> {
  private static final long serialVersionUID = 1L;

  private final String stage;
  private final String reasonPart;
  private final Integer count;
  private final ArrayList<String> payloads;

  DeadLettersCheck(String stage, String reasonPart, Integer count, List<String> payloads) {
    this.stage = stage;
    this.reasonPart = reasonPart;
    this.count = count;
    this.payloads = payloads == null ? null : new ArrayList<>(payloads);
  }

  @Override
  public Void apply(Iterable<String> lines) {
    List<String> selected = new ArrayList<>();
    List<String> selectedPayloads = new ArrayList<>();
    for (JsonNode letter : JsonLines.parse(lines, "dead letters")) {
      if (stage != null && !stage.equals(letter.path("stage").asText(null))) {
        continue;
      }
      String error = letter.path("error").asText("");
      if (reasonPart != null && !error.contains(reasonPart)) {
        continue;
      }
      selected.add(letter.toString());
      selectedPayloads.add(letter.path("payload").asText(null));
    }
    String what = describeSelection();
    if (count != null && selected.size() != count) {
      throw new AssertionError(
          what
              + ": expected "
              + count
              + " but got "
              + selected.size()
              + ":\n    "
              + JsonLines.describe(selected)
              + "\n  all dead letters:\n    "
              + JsonLines.describe(lines));
    }
    if (payloads != null) {
      List<String> expected = new ArrayList<>(payloads);
      List<String> actual = new ArrayList<>(selectedPayloads);
      expected.sort(null);
      actual.sort(null);
      if (!expected.equals(actual)) {
        throw new AssertionError(
            what
                + ": expected payloads "
                + expected
                + "\n  but got "
                + actual
                + "\n  all dead letters:\n    "
                + JsonLines.describe(lines));
      }
    }
    return null;
  }

  private String describeSelection() {
    StringBuilder what = new StringBuilder("dead letters");
    if (stage != null) {
      what.append(" of stage '").append(stage).append("'");
    }
    if (reasonPart != null) {
      what.append(" whose reason contains '").append(reasonPart).append("'");
    }
    return what.toString();
  }
}
