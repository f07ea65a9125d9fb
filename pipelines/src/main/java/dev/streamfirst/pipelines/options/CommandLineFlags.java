package dev.streamfirst.pipelines.options;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Reads the command line the way people write it, before Beam parses it, so that a mistake is told
 * in the user's words rather than a library's: an unknown flag with the option it most likely
 * meant, a flag given twice, an enum value in any case ({@code --panes=discarding}, as {@code
 * --window=FIXED:1m} is taken in any case) or not one of the constants. The launcher and a template
 * launch both read flags through here, so they take the same values.
 *
 * <pre>{@code
 * String[] flags = CommandLineFlags.of(RollupOptions.class).normalize(args);
 * }</pre>
 */
public final class CommandLineFlags {
  private final Map<String, Class<?>> properties;

  private CommandLineFlags(Map<String, Class<?>> properties) {
    this.properties = properties;
  }

  /** The flags of {@code optionsClass} and of every options interface registered with Beam. */
  public static CommandLineFlags of(Class<? extends PipelineOptions> optionsClass) {
    Set<Class<? extends PipelineOptions>> interfaces =
        new LinkedHashSet<>(PipelineOptionsFactory.getRegisteredOptions());
    interfaces.add(optionsClass);
    Map<String, Class<?>> properties = new LinkedHashMap<>();
    for (Class<?> type : interfaces) {
      for (Method method : type.getMethods()) {
        propertyName(method)
            .ifPresent(name -> properties.putIfAbsent(name, method.getReturnType()));
      }
    }
    return new CommandLineFlags(properties);
  }

  /**
   * The flags with enum values spelt as their constants.
   *
   * @throws InvalidOptionsException naming each unknown, repeated or misvalued flag
   */
  public String[] normalize(String... flags) {
    List<String> problems = new ArrayList<>();
    Map<String, List<String>> seen = new LinkedHashMap<>();
    String[] result = Arrays.copyOf(flags, flags.length);
    for (int i = 0; i < flags.length; i++) {
      String flag = flags[i];
      if (!flag.startsWith("--") || flag.length() == 2) {
        continue;
      }
      int eq = flag.indexOf('=');
      String name = flag.substring(2, eq < 0 ? flag.length() : eq);
      Class<?> type = properties.get(name);
      if (type == null) {
        problems.add(
            "--"
                + name
                + ": unknown option"
                + suggestion(name).map(s -> "; did you mean --" + s + "?").orElse("")
                + " (every option: --help)");
        continue;
      }
      seen.computeIfAbsent(name, n -> new ArrayList<>()).add(flag);
      if (eq >= 0 && type.isEnum()) {
        String value = flag.substring(eq + 1);
        Optional<String> constant = enumConstant(type, value);
        if (constant.isPresent()) {
          result[i] = "--" + name + "=" + constant.get();
        } else {
          problems.add(
              flag
                  + ": must be one of "
                  + String.join(", ", enumNames(type))
                  + " (in any case), e.g. --"
                  + name
                  + "="
                  + enumNames(type).get(0));
        }
      }
    }
    for (Map.Entry<String, List<String>> e : seen.entrySet()) {
      Class<?> type = properties.get(e.getKey());
      boolean many = type.isArray() || Collection.class.isAssignableFrom(type);
      if (e.getValue().size() > 1 && !many) {
        problems.add(
            "--"
                + e.getKey()
                + " is given "
                + e.getValue().size()
                + " times ("
                + String.join(", ", e.getValue())
                + "); give it once");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(problems);
    }
    return result;
  }

  /** The known option closest to {@code name}, if one is close enough to be a slip. */
  public Optional<String> suggestion(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : properties.keySet()) {
      int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 4)
        ? Optional.of(best)
        : Optional.empty();
  }

  private static Optional<String> propertyName(Method method) {
    if (method.getParameterCount() != 0
        || Modifier.isStatic(method.getModifiers())
        || method.getDeclaringClass().equals(Object.class)) {
      return Optional.empty();
    }
    String name = method.getName();
    String property;
    if (name.startsWith("get") && name.length() > 3) {
      property = name.substring(3);
    } else if (name.startsWith("is")
        && name.length() > 2
        && (method.getReturnType() == boolean.class || method.getReturnType() == Boolean.class)) {
      property = name.substring(2);
    } else {
      return Optional.empty();
    }
    // As java.beans does: "URL" stays, "Window" becomes "window".
    if (property.length() > 1
        && Character.isUpperCase(property.charAt(0))
        && Character.isUpperCase(property.charAt(1))) {
      return Optional.of(property);
    }
    return Optional.of(Character.toLowerCase(property.charAt(0)) + property.substring(1));
  }

  private static Optional<String> enumConstant(Class<?> type, String value) {
    return enumNames(type).stream().filter(n -> n.equalsIgnoreCase(value.trim())).findFirst();
  }

  private static List<String> enumNames(Class<?> type) {
    return Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
