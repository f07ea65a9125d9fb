package dev.streamfirst.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * References to secrets that stand in a URI or option instead of the secret itself: {@code
 * ${env:NAME}} is the environment variable {@code NAME}, {@code ${file:/abs/path}} the contents of
 * that file (without its final line break). They are resolved where a client is made, on the
 * worker, so the launcher's command line, the pipeline options that runners store and show (Flink's
 * job configuration, Dataflow's job spec) and every log hold only the reference.
 *
 * <pre>{@code
 * kafka://b:9093/events?kafka.sasl.jaas.config=...%20password%3D%22${env:KAFKA_PASSWORD}%22%3B
 * postgres://db:5432/app?user=rollup&password=${file:/run/secrets/db-password}
 * }</pre>
 *
 * <p>A reference that cannot be resolved fails with a message naming the reference and the machine
 * side (a worker lacks the variable or the file), never a secret.
 */
public final class SecretReferences {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]*)}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private SecretReferences() {}

  /** Whether {@code text} holds at least one reference. */
  public static boolean hasReference(String text) {
    return text != null && REFERENCE.matcher(text).find();
  }

  /**
   * {@code text} with every reference replaced by what it refers to, from this process's
   * environment and files.
   *
   * @throws IllegalArgumentException if a variable is unset or a file cannot be read, naming the
   *     reference
   */
  public static String resolve(String text) {
    return resolve(text, System::getenv);
  }

  /**
   * Like {@link #resolve(String)}, with each secret percent-encoded, for a URL whose query values
   * the driver decodes ({@code jdbc:postgresql://db/app?password=${env:PG_PASSWORD}}): a password
   * with {@code &} or {@code =} in it stays one value.
   */
  public static String resolveInUrl(String url) {
    if (url == null || !url.contains("${")) {
      return url;
    }
    Matcher matcher = REFERENCE.matcher(url);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value =
          java.net.URLEncoder.encode(
                  resolve(matcher.group(), System::getenv), StandardCharsets.UTF_8)
              .replace("+", "%20");
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** Every value of {@code settings} resolved, in the same order. */
  public static Map<String, String> resolve(Map<String, String> settings) {
    Map<String, String> resolved = new LinkedHashMap<>();
    settings.forEach((name, value) -> resolved.put(name, resolve(value)));
    return resolved;
  }

  /** Every String value of {@code config} resolved; other values are kept as they are. */
  public static Map<String, Object> resolveValues(Map<String, Object> config) {
    Map<String, Object> resolved = new LinkedHashMap<>();
    config.forEach(
        (name, value) -> resolved.put(name, value instanceof String s ? resolve(s) : value));
    return resolved;
  }

  static String resolve(String text, Function<String, String> environment) {
    if (text == null || !text.contains("${")) {
      return text;
    }
    Matcher matcher = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value =
          switch (matcher.group(1)) {
            case "env" -> fromEnvironment(matcher.group(2), environment);
            default -> fromFile(matcher.group(2));
          };
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static String fromEnvironment(String name, Function<String, String> environment) {
    if (!ENV_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "secret reference ${env:"
              + name
              + "} does not name an environment variable; write ${env:NAME}, e.g."
              + " ${env:KAFKA_PASSWORD}");
    }
    String value = environment.apply(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "secret reference ${env:"
              + name
              + "}: environment variable "
              + name
              + " is not set in this process (references are resolved where the client runs:"
              + " set it for the workers, e.g. in the Flink TaskManagers' environment)");
    }
    return value;
  }

  private static String fromFile(String file) {
    Path path = Paths.get(file);
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException(
          "secret reference ${file:"
              + file
              + "} must name an absolute path, e.g. ${file:/run/secrets/kafka-password}");
    }
    String content;
    try {
      content = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "secret reference ${file:"
              + file
              + "}: the file does not exist on this machine (references are resolved where the"
              + " client runs: put the file on every worker)");
    } catch (IOException e) {
      // The exception text never holds the contents, but keep to the path all the same.
      throw new IllegalArgumentException(
          "secret reference ${file:"
              + file
              + "}: the file cannot be read ("
              + e.getClass().getSimpleName()
              + ")");
    }
    // A file written by `echo` or an editor ends with a line break that is not part of the secret.
    if (content.endsWith("\r\n")) {
      return content.substring(0, content.length() - 2);
    }
    return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
  }
}
