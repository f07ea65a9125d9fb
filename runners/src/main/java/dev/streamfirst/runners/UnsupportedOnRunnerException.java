package dev.streamfirst.runners;

import java.util.List;

/** A run its runner cannot do as asked; the message names the runner and lists each problem. */
public final class UnsupportedOnRunnerException extends IllegalArgumentException {
  private final String runner;
  private final List<String> problems;

  public UnsupportedOnRunnerException(String runner, List<String> problems) {
    super("cannot run this on " + runner + ":\n  " + String.join("\n  ", problems));
    this.runner = runner;
    this.problems = List.copyOf(problems);
  }

  /** The runner's simple name, e.g. {@code FlinkRunner}. */
  public String runner() {
    return runner;
  }

  /** One sentence per problem, each naming its option and the fix. */
  public List<String> problems() {
    return problems;
  }
}
