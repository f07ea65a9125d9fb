package dev.streamfirst.pipelines.options;

import java.util.List;

/** Options that cannot make a valid pipeline; the message lists each problem on its own line. */
public final class InvalidOptionsException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidOptionsException(List<String> problems) {
    super("invalid options:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
