package dev.streamfirst.testing.servers.redis;

import dev.streamfirst.testing.servers.tls.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A real Redis server for tests, started once per JVM on a free loopback port and stopped when the
 * JVM exits. The {@code redis-server} binary comes through Maven ({@code
 * com.github.codemonstur:embedded-redis}, Redis 6.2 for Linux and macOS, built with TLS), so
 * nothing has to be installed.
 *
 * <pre>{@code
 * RedisServer redis = RedisServer.shared();
 * String uri = "redis://localhost:" + redis.port() + "?prefix=rollup:";
 * }</pre>
 *
 * <p>A secured server ({@link #sharedSecured()}) speaks only TLS, with a certificate from a test
 * authority made for the run ({@link #certificates()}), and has no anonymous access: the {@code
 * default} user is off, user {@value #WRITER} may read and write keys under {@code rollup:}, user
 * {@value #READER} may only read.
 *
 * <pre>{@code
 * RedisServer redis = RedisServer.sharedSecured();
 * String uri = "rediss://" + RedisServer.WRITER + ":" + redis.password(RedisServer.WRITER)
 *     + "@localhost:" + redis.port() + "?prefix=rollup:&cacert=" + redis.certificates().caCertificate();
 * }</pre>
 */
public final class RedisServer {
  /** Where the server listens. */
  public static final String HOST = "127.0.0.1";

  /** A loopback address the secured server also listens on, which its certificate does not name. */
  public static final String UNNAMED_HOST = "127.0.0.2";

  /** The secured server's user that may write under {@code rollup:}. */
  public static final String WRITER = "rollup-writer";

  /** The secured server's user that may only read. */
  public static final String READER = "rollup-reader";

  private static RedisServer shared;
  private static RedisServer sharedSecured;

  private final redis.embedded.RedisServer server;
  private final int port;
  private final @Nullable TestCertificates certificates;
  private final String writerPassword;
  private final String readerPassword;

  private RedisServer(
      redis.embedded.RedisServer server,
      int port,
      @Nullable TestCertificates certificates,
      String writerPassword,
      String readerPassword) {
    this.server = server;
    this.port = port;
    this.certificates = certificates;
    this.writerPassword = writerPassword;
    this.readerPassword = readerPassword;
  }

  /**
   * The plain-text server of this JVM, started on first use.
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
        shared = new RedisServer(server, port, null, "", "");
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException(
            "cannot start the embedded Redis server on port " + port + ": " + e, e);
      }
      stopOnExit(shared);
    }
    return shared;
  }

  /**
   * The TLS-only server with ACL users of this JVM, started on first use.
   *
   * @throws IllegalStateException if it cannot start, with the reason
   */
  public static synchronized RedisServer sharedSecured() {
    if (sharedSecured == null) {
      int port = freePort();
      try {
        Path directory = Files.createTempDirectory("streamfirst-redis-tls");
        directory.toFile().deleteOnExit();
        TestCertificates tls = TestCertificates.create(directory);
        String writer = randomPassword();
        String reader = randomPassword();
        redis.embedded.RedisServer server =
            redis.embedded.RedisServer.newRedisServer()
                // No plain-text port at all (the port given here goes on the command line, which
                // overrides the settings); TLS on the chosen one.
                .port(0)
                .setting("save \"\"")
                .setting("appendonly no")
                .setting("tls-port " + port)
                // A second loopback address, which the certificate does not name, so that tests
                // can show a host name mismatch.
                .bind(HOST + " " + UNNAMED_HOST)
                .setting("tls-cert-file " + tls.serverCertificate())
                .setting("tls-key-file " + tls.serverPrivateKey())
                .setting("tls-ca-cert-file " + tls.caCertificate())
                // Clients prove who they are with a user and password, not a certificate.
                .setting("tls-auth-clients no")
                .setting("user default off")
                .setting("user " + WRITER + " on >" + writer + " ~rollup:* +@all -@dangerous")
                .setting("user " + READER + " on >" + reader + " ~* +@read +@connection")
                .build();
        server.start();
        sharedSecured = new RedisServer(server, port, tls, writer, reader);
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException(
            "cannot start the embedded Redis server with TLS on port " + port + ": " + e, e);
      }
      stopOnExit(sharedSecured);
    }
    return sharedSecured;
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /**
   * The secured server's certificates: its authority ({@code caCertificate()}) is what clients
   * trust.
   *
   * @throws IllegalStateException on the plain-text server
   */
  public TestCertificates certificates() {
    if (certificates == null) {
      throw new IllegalStateException("the plain-text Redis server has no certificates");
    }
    return certificates;
  }

  /**
   * The password of {@value #WRITER} or {@value #READER} on the secured server.
   *
   * @throws IllegalArgumentException for another user
   */
  public String password(String user) {
    certificates();
    return switch (user) {
      case WRITER -> writerPassword;
      case READER -> readerPassword;
      default ->
          throw new IllegalArgumentException(
              "no user '" + user + "'; the secured server has " + WRITER + " and " + READER);
    };
  }

  private static void stopOnExit(RedisServer started) {
    Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "redis-stop"));
  }

  private void stop() {
    try {
      server.stop();
    } catch (IOException e) {
      // The JVM is exiting; the process goes with it.
    }
  }

  private static String randomPassword() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for Redis: " + e, e);
    }
  }
}
