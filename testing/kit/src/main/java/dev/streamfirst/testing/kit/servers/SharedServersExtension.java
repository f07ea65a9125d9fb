package dev.streamfirst.testing.kit.servers;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Real servers as a JUnit 5 extension: a test method, lifecycle method or constructor that takes a
 * {@code KafkaBroker}, {@code PubsubEmulator}, {@code PostgresServer}, {@code RedisServer} or
 * {@code FlinkTestCluster} (of {@code streamfirst-test-flink}) gets the JVM's instance, started on
 * first use (on loopback, on a free port), shared by every test class after it and stopped when the
 * JVM exits.
 *
 * <pre>{@code
 * @ExtendWith(SharedServersExtension.class)
 * class SessionsToRedisIT {
 *   @Test
 *   void sessionsLandInRedis(RedisServer redis, PipelineKit kit) { ... }
 * }
 * }</pre>
 */
public final class SharedServersExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return SharedServers.isServer(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return SharedServers.shared(parameter.getParameter().getType());
  }
}
