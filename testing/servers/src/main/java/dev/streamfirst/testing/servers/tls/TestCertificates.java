package dev.streamfirst.testing.servers.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made for one test run, a server certificate it signed for {@code
 * localhost} and {@code 127.0.0.1}, and a client trust store that trusts only that authority. Made
 * with the JDK's own {@code keytool}, so no key or certificate comes from anywhere else and none
 * outlives the test's temporary directory.
 *
 * <p>Every store is PKCS12 with one random password ({@link #password()}).
 *
 * <pre>{@code
 * TestCertificates tls = TestCertificates.create(directory);
 * serverConfig.put("ssl.keystore.location", tls.serverKeyStore().toString());
 * clientConfig.put("ssl.truststore.location", tls.trustStore().toString());
 * }</pre>
 */
public final class TestCertificates {
  private static final long TIMEOUT_SECONDS = 60;

  private final Path directory;
  private final String password;

  private TestCertificates(Path directory, String password) {
    this.directory = directory;
    this.password = password;
  }

  /**
   * Makes the authority, the server's key and certificate and the trust store in {@code directory}.
   *
   * @throws IllegalStateException if {@code keytool} fails, with its output
   */
  public static TestCertificates create(Path directory) {
    TestCertificates tls = new TestCertificates(directory, randomPassword());
    tls.generate();
    return tls;
  }

  /** The password of every store and key made here. */
  public String password() {
    return password;
  }

  /** The server's private key and its certificate chain (server, authority), PKCS12. */
  public Path serverKeyStore() {
    return directory.resolve("server.p12");
  }

  /** A PKCS12 trust store holding only the authority's certificate. */
  public Path trustStore() {
    return directory.resolve("truststore.p12");
  }

  /** The authority's certificate, PEM. */
  public Path caCertificate() {
    return directory.resolve("ca.pem");
  }

  /** The server's certificate, PEM. */
  public Path serverCertificate() {
    return directory.resolve("server.pem");
  }

  /** The server's private key, unencrypted PKCS#8 PEM, for servers that do not read PKCS12. */
  public Path serverPrivateKey() {
    return directory.resolve("server.key");
  }

  private void generate() {
    String ca = directory.resolve("ca.p12").toString();
    String server = serverKeyStore().toString();
    String csr = directory.resolve("server.csr").toString();
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=Streamfirst test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        ca,
        "-storetype",
        "PKCS12",
        "-storepass",
        password,
        "-keypass",
        password);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca,
        "-storepass",
        password,
        "-file",
        caCertificate().toString());
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=localhost",
        "-validity",
        "2",
        "-keystore",
        server,
        "-storetype",
        "PKCS12",
        "-storepass",
        password,
        "-keypass",
        password);
    keytool(
        "-certreq", "-alias", "server", "-keystore", server, "-storepass", password, "-file", csr);
    // Clients check the name they dialled against these: both spellings of loopback.
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca,
        "-storepass",
        password,
        "-infile",
        csr,
        "-outfile",
        serverCertificate().toString(),
        "-validity",
        "2",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-ext",
        "KU=digitalSignature,keyEncipherment",
        "-ext",
        "EKU=serverAuth");
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        caCertificate().toString(),
        "-keystore",
        server,
        "-storepass",
        password);
    keytool(
        "-importcert",
        "-alias",
        "server",
        "-file",
        serverCertificate().toString(),
        "-keystore",
        server,
        "-storepass",
        password);
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        caCertificate().toString(),
        "-keystore",
        trustStore().toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        password);
    writePrivateKey();
  }

  private void writePrivateKey() {
    try (var in = Files.newInputStream(serverKeyStore())) {
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      java.security.Key key = store.getKey("server", password.toCharArray());
      String base64 =
          java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(key.getEncoded());
      Files.writeString(
          serverPrivateKey(),
          "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n");
      // Servers such as PostgreSQL refuse a key that others may read.
      Files.setPosixFilePermissions(
          serverPrivateKey(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + serverPrivateKey(), e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the server key from " + serverKeyStore(), e);
    }
  }

  private void keytool(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("keytool " + arguments[0] + " timed out");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "keytool " + arguments[0] + " failed (exit " + process.exitValue() + "): " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  private static String randomPassword() {
    SecureRandom random = new SecureRandom();
    StringBuilder out = new StringBuilder();
    String letters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (int i = 0; i < 20; i++) {
      out.append(letters.charAt(random.nextInt(letters.length())));
    }
    return out.toString();
  }
}
