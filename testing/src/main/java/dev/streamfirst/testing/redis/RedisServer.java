package dev.streamfirst.testing.redis;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * A real Redis server for tests, started once per JVM on a free loopback port and stopped when the
 * JVM exits. The {@code redis-server} binary comes through Maven ({@code
 * com.github.codemonstur:embedded-redis}, Redis 6.2 for Linux and macOS), so nothing has to be
 * installed.
 *
 * <pre>{@code
 * RedisServer redis = RedisServer.shared();
 * String uri = "redis://localhost:" + redis.port() + "?prefix=rollup:";
 * }</pre>
 */
public final class RedisServer {
  /** Where the server listens. */
  public static final String HOST = "127.0.0.1";

  private static RedisServer shared;

  private final redis.embedded.RedisServer server;
  private final int port;

  private RedisServer(redis.embedded.RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * The server of this JVM, started on first use.
   *
   * @throws IllegalStateException if it cannot start, with the reason
   */
  public static synchronized RedisServer shared() {
    if (shared == null) {
      int port = freePort();
      try {
        redis.embedded.RedisServer server =
            redis.embedded.RedisServer.newRedisServer()
                .bind(HOST)
                .port(port)
                // A test server: nothing is persisted, so nothing is left behind.
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        server.start();
        shared = new RedisServer(server, port);
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException(
            "cannot start the embedded Redis server on port " + port + ": " + e, e);
      }
      RedisServer started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "redis-stop"));
    }
    return shared;
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  private void stop() {
    try {
      server.stop();
    } catch (IOException e) {
      // The JVM is exiting; the process goes with it.
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port for Redis: " + e, e);
    }
  }
}
