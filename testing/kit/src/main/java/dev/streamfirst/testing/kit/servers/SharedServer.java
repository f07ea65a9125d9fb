package dev.streamfirst.testing.kit.servers;

import org.junit.rules.TestRule;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * A real server as a JUnit 4 rule: started (once per JVM, on loopback, on a free port) before the
 * first test that uses the rule, shared by every test class after it, stopped when the JVM exits.
 * Tests keep out of each other's way by asking for fresh names ({@code createTopic(prefix, n)},
 * {@code createDatabase(prefix)}, {@code PubsubEmulator.uniqueName(prefix)}).
 *
 * <pre>{@code
 * @ClassRule public static final SharedServer<KafkaBroker> KAFKA = SharedServer.of(KafkaBroker.class);
 *
 * @Test
 * public void readsWhatWasSent() {
 *   String topic = KAFKA.get().createTopic("clicks", 1);
 *   ...
 * }
 * }</pre>
 *
 * <p>Works with {@code KafkaBroker}, {@code PubsubEmulator}, {@code PostgresServer} and {@code
 * RedisServer} of {@code streamfirst-testing-servers}, and {@code FlinkTestCluster} of {@code
 * streamfirst-test-flink} (a Flink session cluster); a server that cannot start fails the test
 * class with its reason (e.g. how to install the Pub/Sub emulator).
 */
public final class SharedServer<S> implements TestRule {
  private final Class<S> type;

  private SharedServer(Class<S> type) {
    this.type = type;
  }

  /**
   * The rule for {@code type}'s JVM-wide instance.
   *
   * @throws IllegalArgumentException if {@code type} has no {@code static shared()} method
   */
  public static <S> SharedServer<S> of(Class<S> type) {
    if (type == null || !SharedServers.isServer(type)) {
      throw new IllegalArgumentException(
          (type == null ? "null" : type.getName())
              + " is not a shared server: use KafkaBroker, PubsubEmulator, PostgresServer or"
              + " RedisServer, or FlinkTestCluster (a class with a public static shared() method)");
    }
    return new SharedServer<>(type);
  }

  /** The server, started if it is not yet. */
  public S get() {
    return SharedServers.shared(type);
  }

  @Override
  public Statement apply(Statement base, Description description) {
    return new Statement() {
      @Override
      public void evaluate() throws Throwable {
        get();
        base.evaluate();
      }
    };
  }
}
