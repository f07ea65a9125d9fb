package dev.streamfirst.templates;

import dev.streamfirst.pipelines.options.ValuePattern;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Reads a pipeline's own options — those its options interface declares, not Beam's or a runner's,
 * which gcloud supplies — from their annotations: {@code @Description}, {@code Default.*},
 * {@code @Validation.Required}, {@link ValuePattern} and the getter's type.
 */
final class OptionParameters {
  /** Options declared in these packages are the pipeline's own. */
  private static final String OWN_PACKAGE = "dev.streamfirst.";

  private OptionParameters() {}

  static List<TemplateParameter> of(Class<? extends PipelineOptions> optionsClass) {
    Map<String, TemplateParameter> byName = new LinkedHashMap<>();
    for (Class<?> type : interfacesOf(optionsClass)) {
      if (!type.getName().startsWith(OWN_PACKAGE)) {
        continue;
      }
      // Reflection returns methods in no fixed order; by name, the metadata is the same every
      // build.
      Method[] methods = type.getDeclaredMethods();
      Arrays.sort(methods, java.util.Comparator.comparing(Method::getName));
      for (Method getter : methods) {
        if (Modifier.isStatic(getter.getModifiers()) || !isGetter(getter)) {
          continue;
        }
        TemplateParameter parameter = parameterFor(getter);
        // A pipeline's interface may declare a mixin's option again (to make it required): the
        // most specific declaration wins, in the place the mixin gave the option.
        byName.put(parameter.name(), parameter);
      }
    }
    return List.copyOf(byName.values());
  }

  /** The interface and all it extends, most general first, so mixins come in a stable order. */
  private static List<Class<?>> interfacesOf(Class<?> type) {
    List<Class<?>> all = new ArrayList<>();
    for (Class<?> parent : type.getInterfaces()) {
      for (Class<?> c : interfacesOf(parent)) {
        if (!all.contains(c)) {
          all.add(c);
        }
      }
    }
    if (!all.contains(type)) {
      all.add(type);
    }
    return all;
  }

  private static boolean isGetter(Method m) {
    return m.getParameterCount() == 0
        && ((m.getName().startsWith("get") && m.getName().length() > 3)
            || (m.getName().startsWith("is") && m.getReturnType() == boolean.class));
  }

  private static TemplateParameter parameterFor(Method getter) {
    String name = propertyName(getter.getName());
    Description description = getter.getAnnotation(Description.class);
    if (description == null) {
      throw new IllegalStateException(
          getter.getDeclaringClass().getName()
              + "."
              + getter.getName()
              + " has no @Description: every option of a template needs help text");
    }
    String defaultValue = staticDefault(getter);
    // Without a default an option is unset, and the pipeline applies its own default or leaves the
    // feature off; only @Validation.Required or a default computed where the launch runs make it
    // one a user must give.
    boolean required =
        getter.getAnnotation(Validation.Required.class) != null
            || getter.getAnnotation(Default.InstanceFactory.class) != null;
    Class<?> type = getter.getReturnType();

    List<String> regexes = new ArrayList<>();
    List<String> enumValues = new ArrayList<>();
    String paramType = "TEXT";
    ValuePattern pattern = getter.getAnnotation(ValuePattern.class);
    if (type.isEnum()) {
      paramType = "ENUM";
      enumValues =
          Arrays.stream(type.getEnumConstants())
              .map(c -> ((Enum<?>) c).name())
              .collect(Collectors.toList());
      // The command line takes a named value in any case (--panes=discarding); so does a launch.
      regexes.add("^(?i)(" + String.join("|", enumValues) + ")$");
    } else if (type == boolean.class || type == Boolean.class) {
      paramType = "BOOLEAN";
      regexes.add("^(true|false)$");
    } else if (type == int.class
        || type == Integer.class
        || type == long.class
        || type == Long.class) {
      paramType = "NUMBER";
      // Every whole-number option counts something (elements, calls, entries, retries), and the
      // pipelines refuse a negative one; so does the template, before a launch.
      regexes.add(pattern != null ? "^(?:" + pattern.value() + ")$" : "^[0-9]+$");
    } else if (pattern != null) {
      regexes.add("^(?:" + pattern.value() + ")$");
    }

    String help = description.value();
    if (required) {
      // A description may end with the default the launcher computes where it runs (a local
      // directory); a template's launcher VM has none to offer, so the parameter must be given.
      int said = help.lastIndexOf(" Default: ");
      help = said < 0 ? help : help.substring(0, said);
    } else if (defaultValue != null) {
      help += " Default: " + defaultValue + ".";
    }
    return TemplateParameter.of(
        name, label(name), help, !required, regexes, paramType, enumValues, defaultValue);
  }

  /**
   * The default written in the annotation, or null. A default computed at run time ({@code
   * Default.InstanceFactory}) depends on where the pipeline is launched — for a template, a
   * launcher VM — so it is none, and the parameter counts as required.
   */
  private static String staticDefault(Method getter) {
    Default.String s = getter.getAnnotation(Default.String.class);
    if (s != null) {
      return s.value();
    }
    Default.Enum e = getter.getAnnotation(Default.Enum.class);
    if (e != null) {
      return e.value();
    }
    Default.Integer i = getter.getAnnotation(Default.Integer.class);
    if (i != null) {
      return Integer.toString(i.value());
    }
    Default.Long l = getter.getAnnotation(Default.Long.class);
    if (l != null) {
      return Long.toString(l.value());
    }
    Default.Boolean b = getter.getAnnotation(Default.Boolean.class);
    if (b != null) {
      return Boolean.toString(b.value());
    }
    Default.Double d = getter.getAnnotation(Default.Double.class);
    if (d != null) {
      return Double.toString(d.value());
    }
    return null;
  }

  static String propertyName(String getterName) {
    String bare = getterName.startsWith("get") ? getterName.substring(3) : getterName.substring(2);
    return Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
  }

  /** {@code dedupTtl} → {@code Dedup TTL}; {@code deadLetter} → {@code Dead letter}. */
  static String label(String name) {
    String[] words = name.split("(?<=[a-z0-9])(?=[A-Z])");
    StringBuilder label = new StringBuilder();
    for (int i = 0; i < words.length; i++) {
      String word = words[i].toLowerCase(Locale.ROOT);
      if (word.equals("ttl") || word.equals("id") || word.equals("uri")) {
        word = word.toUpperCase(Locale.ROOT);
      } else if (i == 0) {
        word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
      }
      label.append(i == 0 ? "" : " ").append(word);
    }
    return label.toString();
  }
}
