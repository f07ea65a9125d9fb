package dev.streamfirst.io;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps secrets out of what people see: display data, logs and error messages. A setting is secret
 * when its name contains {@code password}, {@code secret}, {@code jaas} or {@code token}, in any
 * case: {@code ssl.keystore.password}, {@code sasl.jaas.config}, {@code oauth.token}.
 *
 * <pre>{@code
 * Secrets.maskUri("kafka://b:9092/t?kafka.sasl.jaas.config=...&group=g");
 * // "kafka://b:9092/t?kafka.sasl.jaas.config=*****&group=g"
 * }</pre>
 */
public final class Secrets {
  /** What a secret value is shown as. */
  public static final String MASK = "*****";

  private static final List<String> SECRET_WORDS = List.of("password", "secret", "jaas", "token");

  private Secrets() {}

  /** Whether a setting called {@code name} holds a secret. */
  public static boolean isSecret(String name) {
    if (name == null) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(lower::contains);
  }

  /** {@code value}, or {@link #MASK} if {@code name} is a secret's name. */
  public static String mask(String name, String value) {
    return isSecret(name) ? MASK : value;
  }

  /** A copy with every secret value replaced by {@link #MASK}, in the same order. */
  public static Map<String, String> mask(Map<String, String> settings) {
    Map<String, String> masked = new LinkedHashMap<>();
    settings.forEach((name, value) -> masked.put(name, mask(name, value)));
    return masked;
  }

  /**
   * The URI text with the values of secret query parameters and any {@code user:password@} part
   * replaced by {@link #MASK}. Never fails, whatever the text: it is used while reporting that a
   * URI is wrong.
   */
  public static String maskUri(String text) {
    if (text == null) {
      return null;
    }
    String masked = text;
    int scheme = masked.indexOf("://");
    if (scheme >= 0) {
      int start = scheme + 3;
      int end = start;
      while (end < masked.length() && masked.charAt(end) != '/' && masked.charAt(end) != '?') {
        end++;
      }
      int at = masked.lastIndexOf('@', end - 1);
      if (at >= start) {
        masked = masked.substring(0, start) + MASK + masked.substring(at);
      }
    }
    int query = masked.indexOf('?');
    if (query < 0) {
      return masked;
    }
    StringBuilder out = new StringBuilder(masked.substring(0, query + 1));
    String[] pairs = masked.substring(query + 1).split("&", -1);
    for (int i = 0; i < pairs.length; i++) {
      if (i > 0) {
        out.append('&');
      }
      int eq = pairs[i].indexOf('=');
      String name = eq < 0 ? pairs[i] : pairs[i].substring(0, eq);
      out.append(eq >= 0 && isSecret(name) ? name + "=" + MASK : pairs[i]);
    }
    return out.toString();
  }
}
