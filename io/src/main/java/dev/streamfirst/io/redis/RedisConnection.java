package dev.streamfirst.io.redis;

import dev.streamfirst.io.SecretReferences;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.checkerframework.checker.nullness.qual.Nullable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * How a worker reaches a Redis server: address, an optional ACL user and password, and TLS with the
 * certificate checked against a trusted authority and the host name. Beam's {@code
 * RedisConnectionConfiguration} has no user name and no way to name a trusted authority, which
 * Redis 6's ACL users and a private certificate authority need, so the client is configured here
 * with Jedis's own settings.
 *
 * <p>A failed connection names its cause: TLS trust, the certificate's host name, or the user's
 * authentication; never the password.
 */
final class RedisConnection implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final int port;
  private final @Nullable String user;
  // May be a ${env:..} or ${file:..} reference, resolved on the worker in connect().
  private final @Nullable String password;
  private final boolean tls;
  private final @Nullable String caCertificate;
  private final int timeoutMillis;

  RedisConnection(
      String host,
      int port,
      @Nullable String user,
      @Nullable String password,
      boolean tls,
      @Nullable String caCertificate,
      int timeoutMillis) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.tls = tls;
    this.caCertificate = caCertificate;
    this.timeoutMillis = timeoutMillis;
  }

  /** The server, as messages name it: {@code rediss://user@host:port}. */
  String describe() {
    return (tls ? "rediss://" : "redis://") + (user == null ? "" : user + "@") + host + ":" + port;
  }

  /**
   * A connected, authenticated client.
   *
   * @throws IllegalStateException naming the cause when the server cannot be reached, its
   *     certificate is not trusted or does not name the host, or the user is refused
   */
  Jedis connect() {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(timeoutMillis)
            .socketTimeoutMillis(timeoutMillis);
    if (user != null) {
      config.user(user);
    }
    if (password != null) {
      config.password(SecretReferences.resolve(password));
    }
    if (tls) {
      SSLParameters parameters = new SSLParameters();
      // The certificate must name the host dialled, as HTTPS requires.
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      config.ssl(true).sslParameters(parameters).sslSocketFactory(socketFactory());
    }
    Jedis jedis = null;
    try {
      // Jedis connects and authenticates in its constructor; the ping proves the connection.
      jedis = new Jedis(new HostAndPort(host, port), config.build());
      jedis.ping();
      return jedis;
    } catch (RuntimeException e) {
      if (jedis != null) {
        jedis.close();
      }
      throw new IllegalStateException(explain(e), e);
    }
  }

  /** What went wrong, for a person: the cause first, then what to change. */
  String explain(RuntimeException e) {
    String server = describe();
    if (e instanceof JedisAccessControlException
        || (e instanceof JedisDataException && String.valueOf(e.getMessage()).startsWith("NOAUTH"))
        || (e instanceof JedisDataException
            && String.valueOf(e.getMessage()).startsWith("WRONGPASS"))) {
      return "authentication to Redis "
          + server
          + " failed: "
          + e.getMessage()
          + "; check the user and password in the sink URI (rediss://user:password@host:port)";
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (message.contains("PKIX") || message.contains("unable to find valid certification")) {
        return "TLS trust: the certificate of Redis "
            + server
            + " is not signed by an authority this client trusts; give the authority's PEM"
            + " certificate as ?cacert=/path/ca.pem, or add it to the JVM's trust store";
      }
      if (message.contains("No subject alternative") || message.contains("doesn't match")) {
        return "TLS: the certificate of Redis "
            + server
            + " does not name host '"
            + host
            + "' ("
            + message
            + "); connect by a name the certificate holds";
      }
    }
    if (e instanceof JedisConnectionException) {
      return "cannot connect to Redis "
          + server
          + ": "
          + e.getMessage()
          + (tls
              ? "; is the server listening there with TLS (tls-port)?"
              : "; is the server listening there, and without TLS (else use rediss://)?");
    }
    return "Redis " + server + " refused the connection: " + e.getMessage();
  }

  private SSLSocketFactory socketFactory() {
    if (caCertificate == null) {
      return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }
    Path path = Paths.get(caCertificate);
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new IllegalArgumentException(
            "cacert=" + caCertificate + " holds no PEM certificate; give the authority's");
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read cacert=" + caCertificate + " on this worker: " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cacert=" + caCertificate + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }
}
