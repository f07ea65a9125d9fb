package dev.streamfirst.testing.kit.servers;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Finds a server's JVM-wide instance: the public static {@code shared()} method of its class that
 * returns that class, as {@code KafkaBroker}, {@code PubsubEmulator}, {@code PostgresServer} and
 * {@code RedisServer} of {@code streamfirst-testing-servers} and {@code FlinkTestCluster} of {@code
 * streamfirst-test-flink} have. Each starts on first use (on loopback, on a free port), is then the
 * same for every test class of the JVM, and stops when the JVM exits.
 */
final class SharedServers {
  private SharedServers() {}

  /** Whether {@code type} has a {@code shared()} instance. */
  static boolean isServer(Class<?> type) {
    return sharedMethod(type) != null;
  }

  /**
   * The JVM's instance of {@code type}, started if it is not yet.
   *
   * @throws IllegalArgumentException if {@code type} has no {@code shared()} method
   * @throws IllegalStateException when the server cannot start, with its reason
   */
  static <S> S shared(Class<S> type) {
    Method shared = sharedMethod(type);
    if (shared == null) {
      throw new IllegalArgumentException(
          type.getName()
              + " is not a shared server: it needs a public static "
              + type.getSimpleName()
              + " shared() method, as KafkaBroker, PubsubEmulator, PostgresServer and"
              + " RedisServer and FlinkTestCluster have");
    }
    try {
      return type.cast(shared.invoke(null));
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + type.getName() + ".shared()", e);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(type.getSimpleName() + " could not start", e.getCause());
    }
  }

  private static Method sharedMethod(Class<?> type) {
    try {
      Method method = type.getMethod("shared");
      return Modifier.isStatic(method.getModifiers()) && method.getReturnType() == type
          ? method
          : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
