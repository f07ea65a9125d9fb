package dev.streamfirst.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.Sources;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Reads and writes through a broker that takes only SASL_SSL (SCRAM-SHA-512) and allows only what
 * ACLs grant, and fails fast, naming the cause, with a wrong password, an untrusted certificate and
 * a user without READ.
 */
public class SecuredKafkaIT {
  private static final String WRITER = "writer-only";
  private static final String WRITER_PASSWORD = "w-" + Long.toHexString(System.nanoTime());
  private static final String USER = "pipeline";
  private static final String PASSWORD = "p-" + Long.toHexString(System.nanoTime());

  @ClassRule public static final TemporaryFolder FILES = new TemporaryFolder();
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static KafkaBroker kafka;

  @BeforeClass
  public static void startBroker() {
    kafka = KafkaBroker.sharedSecured();
    kafka.createUser(USER, PASSWORD);
    kafka.createUser(WRITER, WRITER_PASSWORD);
    // What a pipeline needs: its topics, its consumer groups, and (exactly-once) its
    // transactional ids, which are named after the sink group.
    kafka.allow(
        USER,
        ResourceType.TOPIC,
        "secure-",
        PatternType.PREFIXED,
        AclOperation.READ,
        AclOperation.WRITE,
        AclOperation.DESCRIBE);
    kafka.allow(USER, ResourceType.GROUP, "secure-", PatternType.PREFIXED, AclOperation.READ);
    kafka.allow(
        USER,
        ResourceType.TRANSACTIONAL_ID,
        "secure-",
        PatternType.PREFIXED,
        AclOperation.WRITE,
        AclOperation.DESCRIBE);
    kafka.allow(
        WRITER,
        ResourceType.TOPIC,
        "secure-",
        PatternType.PREFIXED,
        AclOperation.WRITE,
        AclOperation.DESCRIBE);
  }

  private static List<String> events(int count) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add("{\"id\":\"e-" + i + "\",\"key\":\"k" + (i % 3) + "\",\"value\":" + i + "}");
    }
    return events;
  }

  private static List<String> sorted(List<String> values) {
    List<String> copy = new ArrayList<>(values);
    Collections.sort(copy);
    return copy;
  }

  /** The client settings as {@code kafka.<name>=value} URI parameters. */
  private static String asParameters(Map<String, String> properties) {
    return properties.entrySet().stream()
        .map(
            e ->
                "kafka."
                    + e.getKey()
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
        .collect(Collectors.joining("&"));
  }

  /** The client settings in a properties file, as a deployment would keep them. */
  private static Path propertiesFile(Map<String, String> properties) {
    try {
      Path file = FILES.newFile().toPath();
      Properties loaded = new Properties();
      loaded.putAll(properties);
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        loaded.store(out, null);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  public void rightUser_readsAndWritesAtLeastOnceAndExactlyOnce() {
    String in = kafka.createTopic("secure-in", 2);
    String outAtLeastOnce = kafka.createTopic("secure-out", 2);
    String outExactlyOnce = kafka.createTopic("secure-eos", 2);
    kafka.sendValues(in, events(30));
    Map<String, String> login = kafka.clientProperties(USER, PASSWORD);
    String base = "kafka://" + kafka.bootstrapServers() + "/";

    var read = p.apply(Sources.read(base + in + "?until=end&properties=" + propertiesFile(login)));
    read.apply("AtLeastOnce", Sinks.write(base + outAtLeastOnce + "?" + asParameters(login)));
    read.apply(
        "ExactlyOnce",
        Sinks.write(
            base
                + outExactlyOnce
                + "?delivery=exactly-once&shards=2&sinkGroup=secure-"
                + outExactlyOnce
                + "&"
                + asParameters(login)));
    p.run().waitUntilFinish();

    assertEquals(sorted(events(30)), sorted(kafka.readValues(outAtLeastOnce)));
    assertEquals(sorted(events(30)), sorted(kafka.readValues(outExactlyOnce)));
  }

  @Test
  public void passwordAsFileReference_isResolvedWhereTheClientIsMade() throws IOException {
    String in = kafka.createTopic("secure-ref-in", 1);
    String out = kafka.createTopic("secure-ref-out", 1);
    kafka.sendValues(in, events(5));
    Path secret = FILES.newFile().toPath();
    Files.writeString(secret, PASSWORD + "\n", StandardCharsets.UTF_8);
    Map<String, String> login =
        new LinkedHashMap<>(kafka.clientProperties(USER, "${file:" + secret + "}"));
    String base = "kafka://" + kafka.bootstrapServers() + "/";

    p.apply(Sources.read(base + in + "?until=end&" + asParameters(login)))
        .apply(Sinks.write(base + out + "?" + asParameters(login)));
    p.run().waitUntilFinish();

    assertEquals(sorted(events(5)), sorted(kafka.readValues(out)));
    assertEquals(
        java.util.Optional.empty(),
        BrokerCheck.problem(kafka.bootstrapServers(), login, List.of(in), BrokerCheck.Access.READ));
  }

  @Test
  public void rightUser_passesTheCheckForReadingAndWriting() {
    String topic = kafka.createTopic("secure-check", 1);
    Map<String, String> login = kafka.clientProperties(USER, PASSWORD);

    assertEquals(
        java.util.Optional.empty(),
        BrokerCheck.problem(
            kafka.bootstrapServers(), login, List.of(topic), BrokerCheck.Access.READ));
    assertEquals(
        java.util.Optional.empty(),
        BrokerCheck.problem(
            kafka.bootstrapServers(), login, List.of(topic), BrokerCheck.Access.WRITE));
  }

  @Test
  public void wrongPassword_failsFastNamingAuthentication() {
    String topic = kafka.createTopic("secure-badpw", 1);
    Map<String, String> login = kafka.clientProperties(USER, "not-" + PASSWORD);
    long started = System.nanoTime();

    BrokerCheck.Problem problem =
        BrokerCheck.check(kafka.bootstrapServers(), login, List.of(topic), BrokerCheck.Access.READ)
            .orElseThrow();

    assertThat((System.nanoTime() - started) / 1_000_000L, lessThan(5_000L));
    assertEquals(BrokerCheck.Kind.AUTHENTICATION, problem.kind());
    assertThat(problem.message(), containsString("authentication failed"));
    assertThat(problem.message(), containsString("user '" + USER + "'"));
    assertThat(problem.message(), not(containsString(PASSWORD)));
    System.out.println("wrong password: " + problem.message());
  }

  @Test
  public void untrustedCertificate_failsFastNamingTlsTrust() {
    String topic = kafka.createTopic("secure-untrusted", 1);
    // The JDK's own trust store: the public CAs, not the one that signed this broker.
    Map<String, String> login = new LinkedHashMap<>(kafka.clientProperties(USER, PASSWORD));
    login.remove("ssl.truststore.location");
    login.remove("ssl.truststore.password");
    login.remove("ssl.truststore.type");
    long started = System.nanoTime();

    BrokerCheck.Problem problem =
        BrokerCheck.check(kafka.bootstrapServers(), login, List.of(topic), BrokerCheck.Access.READ)
            .orElseThrow();

    assertThat((System.nanoTime() - started) / 1_000_000L, lessThan(5_000L));
    assertEquals(BrokerCheck.Kind.TLS_TRUST, problem.kind());
    assertThat(problem.message(), containsString("TLS handshake"));
    assertThat(problem.message(), containsString("kafka.ssl.truststore.location"));
    System.out.println("untrusted certificate: " + problem.message());
  }

  @Test
  public void userWithoutRead_failsFastNamingAuthorizationAndTopic() {
    String topic = kafka.createTopic("secure-noread", 1);
    Map<String, String> login = kafka.clientProperties(WRITER, WRITER_PASSWORD);

    BrokerCheck.Problem problem =
        BrokerCheck.check(kafka.bootstrapServers(), login, List.of(topic), BrokerCheck.Access.READ)
            .orElseThrow();

    assertEquals(BrokerCheck.Kind.AUTHORIZATION, problem.kind());
    assertThat(problem.message(), containsString("authorization failed"));
    assertThat(problem.message(), containsString("'" + WRITER + "' may not read topic '" + topic));
    // The same user may write there.
    assertEquals(
        java.util.Optional.empty(),
        BrokerCheck.problem(
            kafka.bootstrapServers(), login, List.of(topic), BrokerCheck.Access.WRITE));
    System.out.println("no READ: " + problem.message());
  }

  @Test
  public void missingTopic_isAProblemForReading_butNotForWriting() {
    Map<String, String> login = kafka.clientProperties(USER, PASSWORD);
    List<String> missing = List.of("secure-not-created-" + System.nanoTime());

    BrokerCheck.Problem problem =
        BrokerCheck.check(kafka.bootstrapServers(), login, missing, BrokerCheck.Access.READ)
            .orElseThrow();

    assertEquals(BrokerCheck.Kind.NO_TOPIC, problem.kind());
    assertThat(problem.message(), containsString(missing.get(0) + " does not exist"));
    // A broker that creates topics on first write would make it.
    assertEquals(
        java.util.Optional.empty(),
        BrokerCheck.problem(kafka.bootstrapServers(), login, missing, BrokerCheck.Access.WRITE));
  }

  @Test
  public void replayBuiltWithoutRead_failsWhileBuildingNamingAuthorization() {
    String topic = kafka.createTopic("secure-noread-replay", 1);
    String uri =
        "kafka://"
            + kafka.bootstrapServers()
            + "/"
            + topic
            + "?until=end&"
            + asParameters(kafka.clientProperties(WRITER, WRITER_PASSWORD));
    Pipeline pipeline = Pipeline.create(p.getOptions());

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> pipeline.apply(Sources.read(uri)));

    assertThat(e.getMessage(), containsString("authorization failed"));
    assertThat(e.getMessage(), containsString(topic));
    assertThat(e.getMessage(), not(containsString(WRITER_PASSWORD)));
    p.enableAbandonedNodeEnforcement(false);
  }
}
