package dev.streamfirst.templates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the value of gcloud's {@code --parameters} flag the way gcloud does, so a template can be
 * tried locally with exactly the string a user would give it.
 *
 * <p>Pairs are separated by commas; a value that itself holds commas needs gcloud's alternate
 * delimiter, declared by a {@code ^D^} prefix: {@code ^~^source=file:///a,b~window=fixed:1m}. A
 * pair is split at its first {@code =}, so values may contain {@code =}. Quotes and spaces inside
 * the string are part of the values (the shell has already removed its own quoting).
 *
 * <pre>{@code
 * Map<String, String> p = GcloudParameters.parse("^;^window=fixed:1m;keyField=a,b");
 * }</pre>
 */
public final class GcloudParameters {
  private static final String FLAG = "--parameters=";

  private GcloudParameters() {}

  /**
   * @throws IllegalArgumentException naming the pair that has no {@code =} or repeats a name
   */
  public static Map<String, String> parse(String text) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return parameters;
    }
    String delimiter = ",";
    String body = text;
    if (text.startsWith("^")) {
      int close = text.indexOf('^', 1);
      if (close < 2) {
        throw new IllegalArgumentException(
            "--parameters starts with '^' but declares no delimiter: use ^D^name=value, e.g."
                + " ^~^source=file:///a,b~window=fixed:1m");
      }
      delimiter = text.substring(1, close);
      body = text.substring(close + 1);
    }
    for (String pair : split(body, delimiter)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            "--parameters: '"
                + pair
                + "' is not name=value; a value with '"
                + delimiter
                + "' in it needs another delimiter, e.g. ^~^name=a,b~other=c");
      }
      String name = pair.substring(0, equals);
      if (parameters.put(name, pair.substring(equals + 1)) != null) {
        throw new IllegalArgumentException("--parameters: '" + name + "' is given twice");
      }
    }
    return parameters;
  }

  /** The parameters as pipeline flags: {@code --name=value}, one argument each. */
  public static List<String> toFlags(Map<String, String> parameters) {
    List<String> flags = new ArrayList<>();
    parameters.forEach((name, value) -> flags.add("--" + name + "=" + value));
    return flags;
  }

  /**
   * {@code args} with each {@code --parameters=...} replaced by the flags it holds, the others kept
   * as they are: the arguments a template's main class gets for that launch.
   */
  public static String[] expand(String... args) {
    List<String> flags = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith(FLAG)) {
        flags.addAll(toFlags(parse(arg.substring(FLAG.length()))));
      } else {
        flags.add(arg);
      }
    }
    return flags.toArray(new String[0]);
  }

  private static List<String> split(String text, String delimiter) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    int at;
    while ((at = text.indexOf(delimiter, from)) >= 0) {
      parts.add(text.substring(from, at));
      from = at + delimiter.length();
    }
    parts.add(text.substring(from));
    return parts;
  }
}
