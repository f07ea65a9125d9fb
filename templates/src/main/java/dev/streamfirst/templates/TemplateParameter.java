package dev.streamfirst.templates;

import com.google.auto.value.AutoValue;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One parameter of a Flex template, as its metadata file declares it. */
@AutoValue
public abstract class TemplateParameter {
  /** The option's name, as given on a command line without {@code --}. */
  public abstract String name();

  public abstract String label();

  public abstract String helpText();

  public abstract boolean isOptional();

  /** Regular expressions a valid value matches (anchored); empty when any text goes. */
  public abstract List<String> regexes();

  /** The Flex template parameter type: {@code TEXT}, {@code ENUM}, {@code NUMBER}, ... */
  public abstract String paramType();

  /** The values an {@code ENUM} parameter takes; empty for other types. */
  public abstract List<String> enumValues();

  /** The default the pipeline applies when the parameter is left out; null if none. */
  public abstract @Nullable String defaultValue();

  static TemplateParameter of(
      String name,
      String label,
      String helpText,
      boolean isOptional,
      List<String> regexes,
      String paramType,
      List<String> enumValues,
      String defaultValue) {
    return new AutoValue_TemplateParameter(
        name,
        label,
        helpText,
        isOptional,
        List.copyOf(regexes),
        paramType,
        List.copyOf(enumValues),
        defaultValue);
  }
}
