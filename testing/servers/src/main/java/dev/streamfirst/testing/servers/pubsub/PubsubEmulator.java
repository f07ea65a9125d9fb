package dev.streamfirst.testing.servers.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The Google Cloud Pub/Sub emulator, started once per JVM on a free loopback port, with what a test
 * needs around it: create topics and subscriptions, publish, pull, and the pipeline options that
 * point Beam's PubsubIO at it.
 *
 * <p>The emulator is the one that comes with the Google Cloud CLI ({@code gcloud components install
 * pubsub-emulator}, or the Debian package {@code google-cloud-cli-pubsub-emulator}). Its jar is
 * found through {@value #JAR_ENV} (the jar or its directory), then in the usual SDK locations and
 * next to {@code gcloud} on the {@code PATH}. Where it cannot be found, {@link #shared()} fails
 * with a message that says how to install it: a test that needs it fails rather than silently not
 * running.
 *
 * <pre>{@code
 * PubsubEmulator pubsub = PubsubEmulator.shared();
 * String topic = pubsub.createTopic(PubsubEmulator.uniqueName("events"));
 * String subscription = pubsub.createSubscription(PubsubEmulator.uniqueName("rollup"), topic);
 * pubsub.publish(topic, List.of(PubsubEmulator.Message.of("{...}", Map.of("id", "e-1"))));
 * List<String> args = pubsub.pipelineArgs(); // --pubsubRootUrl=..., --credentialFactoryClass=...
 * }</pre>
 */
public final class PubsubEmulator {
  /** A project id of the shape Pub/Sub accepts; the emulator refuses some that are too short. */
  public static final String PROJECT = "test-project";

  /** Environment variable naming the emulator jar, or the directory that holds it. */
  public static final String JAR_ENV = "PUBSUB_EMULATOR_JAR";

  /** How to install the emulator, for error messages (and {@code .ci/run}). */
  public static final String INSTALL_HINT =
      "install it with 'gcloud components install pubsub-emulator' or the Debian package"
          + " 'google-cloud-cli-pubsub-emulator', or set "
          + JAR_ENV
          + " to its cloud-pubsub-emulator-*-all.jar";

  private static final String JAR_DIR = "platform/pubsub-emulator/lib";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static PubsubEmulator shared;

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http;

  private PubsubEmulator(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * The emulator of this JVM, started on first use and stopped when the JVM exits.
   *
   * @throws IllegalStateException if the emulator is not installed or does not come up; the message
   *     says how to install it, or shows the end of its log
   */
  public static synchronized PubsubEmulator shared() {
    if (shared == null) {
      shared = start(findJar());
      PubsubEmulator started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "pubsub-emulator-stop"));
    }
    return shared;
  }

  /** A topic or subscription name no other test in this JVM uses: {@code prefix-<n>-<nanos>}. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
  }

  /** {@code http://localhost:<port>}: what {@code --pubsubRootUrl} must say. */
  public String rootUrl() {
    return "http://localhost:" + port;
  }

  public int port() {
    return port;
  }

  /** The pipeline options that send PubsubIO to this emulator, without credentials. */
  public List<String> pipelineArgs() {
    return List.of(
        "--pubsubRootUrl=" + rootUrl(),
        "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory",
        "--project=" + PROJECT);
  }

  /**
   * Creates topic {@code name} in {@link #PROJECT}; returns its path {@code projects/P/topics/N}.
   */
  public String createTopic(String name) {
    String path = "projects/" + PROJECT + "/topics/" + name;
    call("PUT", path, "{}");
    return path;
  }

  /**
   * Creates subscription {@code name} to {@code topicPath}; returns its path. It receives only
   * messages published after this call, so create it before publishing.
   */
  public String createSubscription(String name, String topicPath) {
    return createSubscription(name, topicPath, Duration.ofSeconds(60));
  }

  /**
   * Creates subscription {@code name} to {@code topicPath} whose messages are delivered again when
   * not acknowledged within {@code ackDeadline} (whole seconds, 10 to 600, as Pub/Sub accepts);
   * returns its path. A short deadline makes a test of redelivery quick.
   */
  public String createSubscription(String name, String topicPath, Duration ackDeadline) {
    long seconds = ackDeadline.toSeconds();
    if (seconds < 10 || seconds > 600) {
      throw new IllegalArgumentException(
          "ackDeadline " + ackDeadline + ": Pub/Sub accepts 10 s to 600 s; pass one in that range");
    }
    String path = "projects/" + PROJECT + "/subscriptions/" + name;
    ObjectNode body =
        JSON.createObjectNode().put("topic", topicPath).put("ackDeadlineSeconds", seconds);
    call("PUT", path, body.toString());
    return path;
  }

  /** Publishes the messages, in order, in one request; returns their message ids. */
  public List<String> publish(String topicPath, List<Message> messages) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode array = body.putArray("messages");
    for (Message message : messages) {
      ObjectNode m = array.addObject();
      m.put(
          "data",
          Base64.getEncoder().encodeToString(message.data().getBytes(StandardCharsets.UTF_8)));
      ObjectNode attributes = m.putObject("attributes");
      message.attributes().forEach(attributes::put);
    }
    JsonNode response = call("POST", topicPath + ":publish", body.toString());
    List<String> ids = new ArrayList<>();
    response.path("messageIds").forEach(id -> ids.add(id.asText()));
    return ids;
  }

  /**
   * Pulls and acknowledges messages until {@code atLeast} have arrived or {@code timeout} has
   * passed, whichever is first; returns those that arrived, in arrival order.
   */
  public List<Message> pull(String subscriptionPath, int atLeast, Duration timeout) {
    List<Message> received = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.size() < atLeast && System.nanoTime() < deadline) {
      ObjectNode body =
          JSON.createObjectNode().put("maxMessages", 1000).put("returnImmediately", true);
      JsonNode response = call("POST", subscriptionPath + ":pull", body.toString());
      List<String> ackIds = new ArrayList<>();
      for (JsonNode item : response.path("receivedMessages")) {
        ackIds.add(item.path("ackId").asText());
        JsonNode message = item.path("message");
        Map<String, String> attributes = new LinkedHashMap<>();
        message
            .path("attributes")
            .fields()
            .forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        String data =
            new String(
                Base64.getDecoder().decode(message.path("data").asText("")),
                StandardCharsets.UTF_8);
        received.add(Message.of(data, attributes));
      }
      if (ackIds.isEmpty()) {
        sleep(Duration.ofMillis(250));
      } else {
        ObjectNode ack = JSON.createObjectNode();
        ackIds.forEach(ack.putArray("ackIds")::add);
        call("POST", subscriptionPath + ":acknowledge", ack.toString());
      }
    }
    return received;
  }

  /** One message: its payload as text and its attributes. */
  public record Message(String data, Map<String, String> attributes) {
    public Message {
      attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static Message of(String data, Map<String, String> attributes) {
      return new Message(data, attributes);
    }

    public static Message of(String data) {
      return new Message(data, Map.of());
    }

    @Override
    public String toString() {
      return data + " " + attributes;
    }
  }

  private JsonNode call(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(rootUrl() + "/v1/" + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            method + " " + path + " failed: HTTP " + response.statusCode() + " " + response.body());
      }
      return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e + logTail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " " + path + " was interrupted", e);
    }
  }

  private static PubsubEmulator start(Path jar) {
    int port = freePort();
    Path log;
    Process process;
    try {
      log = Files.createTempFile("pubsub-emulator-" + port + "-", ".log");
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      process =
          new ProcessBuilder(java, "-jar", jar.toString(), "--host=localhost", "--port=" + port)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the Pub/Sub emulator " + jar + ": " + e, e);
    }
    PubsubEmulator emulator = new PubsubEmulator(process, port, log);
    emulator.awaitReady(jar);
    return emulator;
  }

  /** The emulator answers {@code GET /} with "Ok" once it accepts requests. */
  private void awaitReady(Path jar) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(rootUrl() + "/")).timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Pub/Sub emulator " + jar + " exited with code " + process.exitValue() + logTail());
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        throw new IllegalStateException("interrupted while starting the Pub/Sub emulator", e);
      }
      sleep(Duration.ofMillis(200));
    }
    stop();
    throw new IllegalStateException(
        "the Pub/Sub emulator did not answer on port "
            + port
            + " within "
            + START_TIMEOUT
            + logTail());
  }

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "; last lines of "
          + log
          + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "; its log " + log + " cannot be read: " + e;
    }
  }

  /**
   * Finds {@code cloud-pubsub-emulator-*-all.jar}.
   *
   * @throws IllegalStateException naming where it looked and how to install it
   */
  static Path findJar() {
    String fromEnv = System.getenv(JAR_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      Path given = Paths.get(fromEnv);
      Optional<Path> jar = Files.isDirectory(given) ? newestJarIn(given) : Optional.of(given);
      if (jar.isEmpty() || !Files.isRegularFile(jar.get())) {
        throw new IllegalStateException(
            JAR_ENV
                + "="
                + fromEnv
                + " is not the Pub/Sub emulator jar nor a directory holding"
                + " cloud-pubsub-emulator-*-all.jar");
      }
      return jar.get();
    }
    List<Path> roots = new ArrayList<>();
    Optional.ofNullable(System.getenv("CLOUDSDK_ROOT_DIR")).map(Paths::get).ifPresent(roots::add);
    for (String root :
        List.of(
            "/usr/lib/google-cloud-sdk",
            "/usr/share/google-cloud-sdk",
            "/opt/google-cloud-sdk",
            System.getProperty("user.home") + "/google-cloud-sdk")) {
      roots.add(Paths.get(root));
    }
    gcloudRoot().ifPresent(roots::add);
    for (Path root : roots) {
      Optional<Path> jar = newestJarIn(root.resolve(JAR_DIR));
      if (jar.isPresent()) {
        return jar.get();
      }
    }
    throw new IllegalStateException(
        "the Pub/Sub emulator is needed by this test but was not found (looked for "
            + JAR_DIR
            + "/cloud-pubsub-emulator-*-all.jar under "
            + roots
            + "); "
            + INSTALL_HINT);
  }

  /** The SDK root of the {@code gcloud} on the PATH: {@code <root>/bin/gcloud}, links resolved. */
  private static Optional<Path> gcloudRoot() {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : path.split(File.pathSeparator)) {
      Path gcloud = Paths.get(dir, "gcloud");
      if (Files.isExecutable(gcloud)) {
        try {
          Path bin = gcloud.toRealPath().getParent();
          return bin == null ? Optional.empty() : Optional.ofNullable(bin.getParent());
        } catch (IOException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> newestJarIn(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(
              f -> {
                String name = f.getFileName().toString();
                return name.startsWith("cloud-pubsub-emulator-") && name.endsWith("-all.jar");
              })
          .max(Comparator.comparing(f -> f.getFileName().toString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port for the Pub/Sub emulator: " + e, e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
