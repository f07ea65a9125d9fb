package dev.streamfirst.runners;

import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.pipelines.options.AlertOptions;
import dev.streamfirst.pipelines.options.DedupOptions;
import dev.streamfirst.pipelines.options.EnrichOptions;
import dev.streamfirst.pipelines.options.EventFieldOptions;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import dev.streamfirst.pipelines.options.TriggerOptions;
import dev.streamfirst.pipelines.options.WindowOptions;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * What {@code ./streamfirst run <pipeline> --help} prints: a pipeline's options grouped by what a
 * user is doing (input, output, windowing, dedup, enrichment, the pipeline's own rules), then the
 * options of the runner chosen with {@code --runner} (DirectRunner unless given), each with its
 * values and default. Beam's own help lists every options interface by its Java name, runners'
 * included, and is several times as long.
 */
final class OptionsHelp {
  private static final int WIDTH = 100;

  // What a user is doing, by the mixin that holds the option; the order is the order printed.
  private static final Map<Class<?>, String> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put(SourceOptions.class, "Input");
    GROUPS.put(EventFieldOptions.class, "Input");
    GROUPS.put(SinkOptions.class, "Output");
    GROUPS.put(AlertOptions.class, "Output");
    GROUPS.put(LaunchOptions.class, "Output");
    GROUPS.put(WindowOptions.class, "Windowing");
    GROUPS.put(TriggerOptions.class, "Windowing");
    GROUPS.put(DedupOptions.class, "Dedup");
    GROUPS.put(EnrichOptions.class, "Enrichment");
  }

  /**
   * The runners the launcher knows, by the name given to {@code --runner}, with their options: each
   * {@link RunnerProfile}'s {@link RunnerProfile#helpOptions()}.
   */
  private static final Map<String, List<Class<?>>> RUNNERS = new LinkedHashMap<>();

  static {
    RunnerProfiles.all()
        .forEach(
            (runner, profile) -> {
              if (!profile.helpOptions().isEmpty()) {
                RUNNERS.put(
                    runner.substring(runner.lastIndexOf('.') + 1),
                    List.<Class<?>>copyOf(profile.helpOptions()));
              }
            });
  }

  private OptionsHelp() {}

  /** The help of {@code definition} with the options of {@code runner} (a name as given). */
  static void print(PrintStream out, PipelineDefinition<?> definition, String runner) {
    String chosen = runnerName(runner);
    out.println("usage: ./streamfirst run " + definition.name() + " [--option=value ...]");
    out.println("  " + definition.description());
    Map<String, List<Method>> groups = new LinkedHashMap<>();
    GROUPS.values().forEach(g -> groups.putIfAbsent(g, new ArrayList<>()));
    String own = capitalize(definition.name());
    groups.put(own, new ArrayList<>());
    for (Method getter : getters(definition.optionsClass())) {
      Class<?> declaring = getter.getDeclaringClass();
      String group = GROUPS.get(declaring);
      if (group == null && declaring.getName().startsWith("dev.streamfirst.pipelines.")) {
        group = own;
      }
      if (group != null) {
        groups.get(group).add(getter);
      }
    }
    // The launcher's own options are no pipeline's, but they are about its output.
    groups.get(GROUPS.get(LaunchOptions.class)).addAll(declaredGetters(LaunchOptions.class));
    for (Map.Entry<String, List<Method>> group : groups.entrySet()) {
      if (!group.getValue().isEmpty()) {
        section(out, group.getKey(), group.getValue());
      }
    }
    List<Method> runnerOptions = new ArrayList<>();
    runnerOptions.add(getter(PipelineOptions.class, "getRunner"));
    runnerOptions.add(getter(StreamingOptions.class, "isStreaming"));
    for (Class<?> type : RUNNERS.getOrDefault(chosen, List.of())) {
      runnerOptions.addAll(declaredGetters(type));
    }
    section(out, "Runner: " + chosen, runnerOptions);
    List<String> others = new ArrayList<>(RUNNERS.keySet());
    others.remove(chosen);
    out.println();
    out.println(
        "The options of another runner: add --runner="
            + String.join(" or --runner=", others)
            + " before --help.");
  }

  /** The simple name of the runner flag's value; DirectRunner when none is given. */
  static String runnerName(String runner) {
    if (runner == null || runner.isBlank()) {
      return "DirectRunner";
    }
    String simple = runner.substring(runner.lastIndexOf('.') + 1);
    return RUNNERS.keySet().stream()
        .filter(r -> r.equalsIgnoreCase(simple) || r.equalsIgnoreCase(simple + "Runner"))
        .findFirst()
        .orElse(simple);
  }

  private static void section(PrintStream out, String title, List<Method> getters) {
    out.println();
    out.println(title);
    for (Method getter : getters) {
      String name = property(getter);
      String line = "  --" + name + "=" + form(getter.getReturnType());
      String dflt = defaultOf(getter);
      out.println(dflt == null ? line : line + "   (default: " + dflt + ")");
      Description description = getter.getAnnotation(Description.class);
      if (description != null) {
        wrap(out, description.value(), "      ");
      }
    }
  }

  private static List<Method> getters(Class<?> options) {
    List<Method> getters = new ArrayList<>();
    for (Method m : options.getMethods()) {
      if (isOption(m)) {
        getters.add(m);
      }
    }
    // Mixins first in the order of GROUPS, then each mixin's options in a stable order.
    getters.sort(Comparator.comparing((Method m) -> m.getDeclaringClass().getName()));
    List<Method> ordered = new ArrayList<>();
    for (Class<?> mixin : GROUPS.keySet()) {
      for (Method m : declaredGetters(mixin)) {
        if (getters.stream().anyMatch(g -> g.getName().equals(m.getName()))) {
          ordered.add(m);
        }
      }
    }
    for (Method m : getters) {
      if (!GROUPS.containsKey(m.getDeclaringClass())) {
        ordered.add(m);
      }
    }
    return ordered;
  }

  /** A type's own options, in the order its source declares them. */
  private static List<Method> declaredGetters(Class<?> type) {
    List<Method> getters = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      if (isOption(m)) {
        getters.add(m);
      }
    }
    // The JVM gives declared methods in no set order; by name is stable across runs.
    getters.sort(Comparator.comparing(OptionsHelp::property));
    return getters;
  }

  private static boolean isOption(Method m) {
    return m.getParameterCount() == 0
        && m.getAnnotation(Hidden.class) == null
        && m.getAnnotation(Description.class) != null
        && (m.getName().startsWith("get") || m.getName().startsWith("is"));
  }

  private static Method getter(Class<?> type, String name) {
    try {
      return type.getMethod(name);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(type.getSimpleName() + " has no " + name, e);
    }
  }

  private static String property(Method getter) {
    String name = getter.getName();
    String rest = name.startsWith("get") ? name.substring(3) : name.substring(2);
    return Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
  }

  private static String form(Class<?> type) {
    if (type.isEnum()) {
      return String.join(
          "|", Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList());
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true|false";
    }
    if (type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class
        || type == double.class
        || type == Double.class) {
      return "<number>";
    }
    if (type == Class.class) {
      return "<name>";
    }
    return "<" + (List.class.isAssignableFrom(type) ? "list" : "text") + ">";
  }

  private static String defaultOf(Method getter) {
    if (getter.getAnnotation(Default.String.class) != null) {
      String value = getter.getAnnotation(Default.String.class).value();
      return value.isEmpty() ? "none" : value;
    }
    if (getter.getAnnotation(Default.Integer.class) != null) {
      return String.valueOf(getter.getAnnotation(Default.Integer.class).value());
    }
    if (getter.getAnnotation(Default.Long.class) != null) {
      return String.valueOf(getter.getAnnotation(Default.Long.class).value());
    }
    if (getter.getAnnotation(Default.Double.class) != null) {
      return String.valueOf(getter.getAnnotation(Default.Double.class).value());
    }
    if (getter.getAnnotation(Default.Boolean.class) != null) {
      return String.valueOf(getter.getAnnotation(Default.Boolean.class).value());
    }
    if (getter.getAnnotation(Default.Enum.class) != null) {
      return getter.getAnnotation(Default.Enum.class).value();
    }
    if (getter.getAnnotation(Default.Class.class) != null) {
      return getter.getAnnotation(Default.Class.class).value().getSimpleName();
    }
    return null;
  }

  private static void wrap(PrintStream out, String text, String indent) {
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split("\\s+")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
        out.println(line);
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > indent.length()) {
      out.println(line);
    }
  }

  private static String capitalize(String name) {
    return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
  }
}
