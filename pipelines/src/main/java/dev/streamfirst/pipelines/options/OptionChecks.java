package dev.streamfirst.pipelines.options;

import dev.streamfirst.io.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks option values before a pipeline is built and reports every problem at once, each naming
 * the option, its value, what is wrong and a valid example. Secret parts of a value (a Kafka URI's
 * {@code kafka.sasl.jaas.config=...}, see {@link Secrets}) are masked, since these messages are
 * printed.
 *
 * <pre>{@code
 * OptionChecks checks = new OptionChecks();
 * WindowSpec window = checks.parse("window", options.getWindow(), WindowSpec::parse);
 * checks.throwIfAny();
 * }</pre>
 */
public final class OptionChecks {
  private final List<String> problems = new ArrayList<>();

  /** Parses {@code value} with {@code parser}; on failure records the problem and returns null. */
  public <T> T parse(String option, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      problems.add("--" + option + "=" + Secrets.maskUri(value) + ": " + e.getMessage());
      return null;
    }
  }

  /** Records a problem with an option unless {@code ok}. */
  public void require(boolean ok, String option, String value, String problem) {
    if (!ok) {
      problems.add("--" + option + "=" + Secrets.maskUri(value) + ": " + problem);
    }
  }

  /**
   * @throws InvalidOptionsException listing every problem found, if any
   */
  public void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(problems);
    }
  }
}
