package dev.streamfirst.pipelines.options;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The form a valid value of an option takes, as a regular expression over the whole value, next to
 * the option's {@code @Description}. Forms and template metadata are generated from it, so they
 * cannot drift from the options; the option's parser still has the last word.
 *
 * <pre>{@code
 * @ValuePattern(Durations.PATTERN)
 * String getDedupTtl();
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ValuePattern {
  String value();

  /** Any URI with a scheme: {@code scheme:rest} or {@code scheme://rest}. */
  String URI = "[a-z][a-z0-9+.-]*:.+";

  /** A JSON field name. */
  String FIELD_NAME = ".+";
}
