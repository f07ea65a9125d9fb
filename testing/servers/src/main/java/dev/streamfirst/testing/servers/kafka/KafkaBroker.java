package dev.streamfirst.testing.servers.kafka;

import dev.streamfirst.testing.servers.tls.TestCertificates;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) on loopback, for
 * tests. No Docker: the broker runs as a separate JVM from the jars that the {@code
 * streamfirst-kafka-broker} test dependency lists, on free ports, with its data in a temporary
 * directory that {@link #close()} removes.
 *
 * <p>Starting a broker takes a few seconds, so a test JVM normally shares one: {@link #shared()}
 * starts it on first use and a shutdown hook stops it when the JVM exits. Tests keep apart by using
 * their own topics ({@link #createTopic}). If the test JVM dies without running its hooks, the
 * broker notices that its parent is gone and exits by itself.
 *
 * <p>For fault tests, a broker of one's own ({@link #start()}) can be killed as a crash would
 * ({@link #kill()}) and started again on the same ports and data ({@link #restart()}).
 *
 * <p>A secured broker ({@link #sharedSecured()}, {@link #startSecured()}) has one {@code SASL_SSL}
 * listener: TLS with a certificate signed by a CA made for the run ({@link TestCertificates}),
 * SCRAM-SHA-512 logins, and an authorizer that denies whatever no ACL allows. Its administrator
 * {@value #ADMIN_USER} may do anything; tests add users ({@link #createUser}) and grant them what
 * they need ({@link #allow}). The fixture's own clients ({@link #createTopic}, {@link #send},
 * {@link #readAll}) log in as the administrator.
 *
 * <p>Needs {@code kafka-clients} on the test class path (it is optional here, so users who do not
 * test Kafka do not get it) and {@code dev.streamfirst:streamfirst-kafka-broker} as a test
 * dependency.
 *
 * <pre>{@code
 * KafkaBroker kafka = KafkaBroker.shared();
 * String topic = kafka.createTopic("events", 2);
 * kafka.send(topic, List.of(new ProducerRecord<>(topic, "k", "{\"id\":\"e-1\"}")));
 * p.apply(Sources.read("kafka://" + kafka.bootstrapServers() + "/" + topic + "?until=end"));
 * List<ConsumerRecord<String, String>> out = kafka.readAll(outputTopic);
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {
  /** A {@link File#pathSeparator}-separated class path for the broker, overriding the resource. */
  public static final String CLASSPATH_PROPERTY = "streamfirst.kafka.broker.classpath";

  /** Where the local Maven repository is, if not {@code ~/.m2/repository}. */
  public static final String REPOSITORY_PROPERTY = "streamfirst.m2.repository";

  /** The secured broker's administrator, a super user. */
  public static final String ADMIN_USER = "admin";

  static final String CLASSPATH_RESOURCE = "dev/streamfirst/testing/servers/kafka/broker.classpath";
  static final String REPOSITORY_TOKEN = "M2_REPO";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private static KafkaBroker shared;
  private static KafkaBroker sharedSecured;

  private final Path directory;
  private final String bootstrapServers;
  // Null for a plain-text broker.
  private final Security security;
  // What the broker's command runs under, e.g. "ip netns exec kafka"; empty on this host.
  private final List<String> launchPrefix;
  // Replaced by restart(); guarded by this.
  private volatile Process process;
  private volatile Admin admin;

  private KafkaBroker(
      Path directory,
      Process process,
      String bootstrapServers,
      Admin admin,
      Security security,
      List<String> launchPrefix) {
    this.directory = directory;
    this.security = security;
    this.launchPrefix = List.copyOf(launchPrefix);
    this.process = process;
    this.bootstrapServers = bootstrapServers;
    this.admin = admin;
  }

  /**
   * The broker of this JVM, started on first call and stopped when the JVM exits.
   *
   * @throws IllegalStateException if it cannot start, with the end of its log
   */
  public static synchronized KafkaBroker shared() {
    if (shared == null || !shared.isAlive()) {
      KafkaBroker broker = start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "stop-kafka-broker"));
      shared = broker;
    }
    return shared;
  }

  /**
   * The secured ({@code SASL_SSL}, SCRAM-SHA-512, ACLs) broker of this JVM, started on first call
   * and stopped when the JVM exits.
   *
   * @throws IllegalStateException if it cannot start, with the end of its log
   */
  public static synchronized KafkaBroker sharedSecured() {
    if (sharedSecured == null || !sharedSecured.isAlive()) {
      KafkaBroker broker = startSecured();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "stop-kafka-broker"));
      sharedSecured = broker;
    }
    return sharedSecured;
  }

  /** Starts a broker of one's own; the caller closes it. Prefer {@link #shared()}. */
  public static KafkaBroker start() {
    return start(false);
  }

  /**
   * Starts a secured broker of one's own; the caller closes it. Prefer {@link #sharedSecured()}.
   */
  public static KafkaBroker startSecured() {
    return start(true);
  }

  /**
   * Starts a plain-text broker of one's own that clients reach at {@code address} (its listener and
   * the address it advertises), running its process under {@code launchPrefix}: e.g. in a network
   * namespace with {@code List.of("ip", "netns", "exec", "kafka")} and that namespace's address.
   * Its controller listens on the loopback of wherever it runs. The caller closes it.
   */
  public static KafkaBroker startAt(String address, List<String> launchPrefix) {
    if (address == null || !address.matches("[A-Za-z0-9.-]+")) {
      throw new IllegalArgumentException(
          "startAt() takes a host name or IPv4 address for the broker, got '" + address + "'");
    }
    return start(false, address, launchPrefix);
  }

  private static KafkaBroker start(boolean secured) {
    return start(secured, "127.0.0.1", List.of());
  }

  private static KafkaBroker start(boolean secured, String address, List<String> launchPrefix) {
    List<String> classpath = brokerClasspath();
    Path directory;
    try {
      directory = Files.createTempDirectory("streamfirst-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the Kafka broker", e);
    }
    Process process = null;
    try {
      int brokerPort = freePort();
      int controllerPort = freePort();
      Security security = null;
      if (secured) {
        Path tls = Files.createDirectory(directory.resolve("tls"));
        security = new Security(TestCertificates.create(tls), randomPassword());
      }
      Path config = directory.resolve("server.properties");
      List<String> properties =
          new ArrayList<>(serverProperties(directory, address, brokerPort, controllerPort));
      if (security != null) {
        properties = security.serverProperties(brokerPort, controllerPort, properties);
      }
      Files.write(config, properties);
      Path log = directory.resolve("broker.log");
      format(classpath, config, log, security);
      process = launch(launchPrefix, classpath, config, log);
      String bootstrap = address + ":" + brokerPort;
      Admin admin = awaitReady(process, bootstrap, log, security);
      return new KafkaBroker(directory, process, bootstrap, admin, security, launchPrefix);
    } catch (IOException | RuntimeException e) {
      if (process != null) {
        process.destroyForcibly();
      }
      deleteQuietly(directory);
      if (e instanceof IOException) {
        throw new UncheckedIOException("cannot start the Kafka broker", (IOException) e);
      }
      throw (RuntimeException) e;
    }
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers} and {@code kafka://} URIs. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Whether this is a {@code SASL_SSL} broker with ACLs. */
  public boolean isSecured() {
    return security != null;
  }

  /**
   * The client properties that log in to this secured broker as {@code user}: {@code SASL_SSL},
   * SCRAM-SHA-512, and a trust store that trusts the broker's CA.
   */
  public Map<String, String> clientProperties(String user, String password) {
    requireSecured("clientProperties()");
    Map<String, String> properties = new java.util.LinkedHashMap<>();
    properties.put("security.protocol", "SASL_SSL");
    properties.put("sasl.mechanism", "SCRAM-SHA-512");
    properties.put("sasl.jaas.config", jaasConfig(user, password));
    properties.put("ssl.truststore.location", security.tls.trustStore().toString());
    properties.put("ssl.truststore.type", "PKCS12");
    properties.put("ssl.truststore.password", security.tls.password());
    return properties;
  }

  /** The CA and server certificates of this secured broker. */
  public TestCertificates certificates() {
    requireSecured("certificates()");
    return security.tls;
  }

  /** Adds a SCRAM-SHA-512 user to this secured broker, or changes its password. */
  public void createUser(String user, String password) {
    requireSecured("createUser()");
    await(
        "create user " + user,
        admin
            .alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                        password)))
            .all());
  }

  /**
   * Allows {@code user} the operations on a resource of this secured broker, e.g. {@code
   * allow("alice", ResourceType.TOPIC, "events-", PatternType.PREFIXED, AclOperation.READ)}.
   */
  public void allow(
      String user,
      ResourceType type,
      String name,
      PatternType pattern,
      AclOperation... operations) {
    requireSecured("allow()");
    List<AclBinding> bindings = new ArrayList<>();
    for (AclOperation operation : operations) {
      bindings.add(
          new AclBinding(
              new ResourcePattern(type, name, pattern),
              new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
    }
    await(
        "grant " + user + " " + List.of(operations) + " on " + type + " " + name,
        admin.createAcls(bindings).all());
  }

  private void requireSecured(String method) {
    if (security == null) {
      throw new IllegalStateException(method + " is for a secured broker (sharedSecured())");
    }
  }

  private static void await(String what, org.apache.kafka.common.KafkaFuture<Void> future) {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot " + what + ": " + e, e);
    }
  }

  static String jaasConfig(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** The broker's log file, to look at when a test fails. */
  public Path logFile() {
    return directory.resolve("broker.log");
  }

  /**
   * Creates a new topic named {@code prefix} plus a suffix unique to this JVM run, so that tests
   * sharing the broker never share a topic.
   *
   * @return the topic's name
   */
  public String createTopic(String prefix, int partitions) {
    String name =
        prefix + "-" + TOPICS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
    try {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + name + ": " + e, e);
    }
    return name;
  }

  /** Writes the records and waits until the broker has acknowledged every one. */
  public void send(String topic, List<ProducerRecord<String, String>> records) {
    for (ProducerRecord<String, String> record : records) {
      if (!topic.equals(record.topic())) {
        throw new IllegalArgumentException(
            "send(\"" + topic + "\", ...) got a record for topic '" + record.topic() + "'");
      }
    }
    Properties config = new Properties();
    config.putAll(adminClientConfig(security));
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
      for (ProducerRecord<String, String> record : records) {
        acks.add(producer.send(record));
      }
      producer.flush();
      for (java.util.concurrent.Future<?> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write to " + topic + ": " + e, e);
    }
  }

  /** Writes values without keys, each with the broker's current time. */
  public void sendValues(String topic, Collection<String> values) {
    send(topic, values.stream().map(v -> new ProducerRecord<String, String>(topic, v)).toList());
  }

  /**
   * Every committed record now in {@code topic}, partition by partition in offset order. Records of
   * open or aborted transactions are not returned ({@code read_committed}), so what an exactly-once
   * writer has not committed is not seen.
   */
  public List<ConsumerRecord<String, String>> readAll(String topic) {
    Properties config = new Properties();
    config.putAll(adminClientConfig(security));
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .sorted(Comparator.comparingInt(TopicPartition::partition))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition = new HashMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out reading " + topic + " up to " + end);
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          byPartition.computeIfAbsent(tp, k -> new ArrayList<>()).add(record);
        }
      }
      List<ConsumerRecord<String, String>> all = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        for (ConsumerRecord<String, String> record : byPartition.getOrDefault(tp, List.of())) {
          if (record.offset() < end.get(tp)) {
            all.add(record);
          }
        }
      }
      return all;
    }
  }

  /** The values of {@link #readAll}. */
  public List<String> readValues(String topic) {
    return readAll(topic).stream().map(ConsumerRecord::value).collect(Collectors.toList());
  }

  /** Whether the broker process runs. */
  public synchronized boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Kills the broker process at once (SIGKILL), as a crash would: no controlled shutdown, open
   * transactions left open. Its data stays for {@link #restart()}. Not for the {@link #shared()}
   * broker, which other tests use.
   */
  public synchronized void kill() {
    if (this == shared || this == sharedSecured) {
      throw new IllegalStateException(
          "kill() is for a broker of one's own (start()), not shared()");
    }
    admin.close(Duration.ZERO);
    process.destroyForcibly();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the Kafka broker did not die within " + STOP_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing the Kafka broker", e);
    }
  }

  /**
   * Starts the broker again after {@link #kill()}, on the same ports and with the same data (its
   * logs are recovered as after a crash), and returns once it answers metadata requests.
   *
   * @throws IllegalStateException if it still runs, or cannot start (with the end of its log)
   */
  public synchronized void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException("the Kafka broker still runs; kill() it first");
    }
    try {
      process =
          launch(
              launchPrefix, brokerClasspath(), directory.resolve("server.properties"), logFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restart the Kafka broker", e);
    }
    try {
      admin = awaitReady(process, bootstrapServers, logFile(), security);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Stops the broker and removes its data. Safe to call more than once. */
  @Override
  public synchronized void close() {
    admin.close(Duration.ofSeconds(5));
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    deleteQuietly(directory);
  }

  private static List<String> serverProperties(
      Path directory, String address, int brokerPort, int controller) {
    return List.of(
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controller,
        "listeners=PLAINTEXT://"
            + address
            + ":"
            + brokerPort
            + ",CONTROLLER://127.0.0.1:"
            + controller,
        "advertised.listeners=PLAINTEXT://" + address + ":" + brokerPort,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs=" + directory.resolve("data"),
        // One node: every internal topic has one replica. One partition each, because the
        // default 50 offset partitions make the first consumer group wait for seconds.
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1",
        "group.initial.rebalance.delay.ms=0",
        // Tests write events dated in the past, on purpose. The default retention (7 days, by
        // record timestamp) would delete them at its first check, 30 s after the start, and a test
        // that runs after that reads nothing.
        "log.retention.ms=-1",
        // Tests create their topics; a typo must fail, not silently create an empty topic.
        "auto.create.topics.enable=false");
  }

  private static void format(List<String> classpath, Path config, Path log, Security security)
      throws IOException {
    List<String> command = java(classpath);
    command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", clusterId()));
    command.addAll(List.of("-c", config.toString()));
    if (security != null) {
      // With KRaft, the administrator's SCRAM login must exist before the broker first starts:
      // the broker needs it to talk to itself, and the admin client to add the other users.
      command.addAll(
          List.of(
              "--add-scram",
              "SCRAM-SHA-512=[name=" + ADMIN_USER + ",password=" + security.adminPassword + "]"));
    }
    Process format =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!format.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        format.destroyForcibly();
        throw new IllegalStateException("formatting the Kafka storage timed out; " + tail(log));
      }
    } catch (InterruptedException e) {
      format.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting the Kafka storage", e);
    }
    if (format.exitValue() != 0) {
      throw new IllegalStateException(
          "formatting the Kafka storage failed (exit " + format.exitValue() + "); " + tail(log));
    }
  }

  private static Process launch(
      List<String> launchPrefix, List<String> classpath, Path config, Path log) throws IOException {
    List<String> command = new ArrayList<>(launchPrefix);
    command.addAll(java(classpath));
    // The watchdog main ends the broker if this JVM dies without stopping it (kill -9, a crashed
    // fork), so no broker outlives its tests on a shared machine.
    command.add(ParentWatchdog.class.getName());
    command.add(Long.toString(ProcessHandle.current().pid()));
    command.add("kafka.Kafka");
    command.add(config.toString());
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static List<String> java(List<String> classpath) {
    List<String> path = new ArrayList<>(classpath);
    path.add(ownLocation());
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true"));
    command.add("-cp");
    command.add(String.join(File.pathSeparator, path));
    return command;
  }

  private static Admin awaitReady(Process process, String bootstrap, Path log, Security security) {
    Map<String, Object> config = new HashMap<>(adminClientConfig(security));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000);
    Admin admin = Admin.create(config);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        admin.close(Duration.ZERO);
        throw new IllegalStateException(
            "the Kafka broker exited with "
                + process.exitValue()
                + " while starting; "
                + tail(log));
      }
      try {
        // Ready means the broker is registered and can answer metadata, not just that it
        // listens: a topic created before that fails.
        if (!admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).isEmpty()) {
          admin.listTopics().names().get(4, TimeUnit.SECONDS);
          return admin;
        }
      } catch (ExecutionException | TimeoutException e) {
        // Not up yet.
      } catch (InterruptedException e) {
        admin.close(Duration.ZERO);
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
      }
      if (System.nanoTime() > deadline) {
        admin.close(Duration.ZERO);
        throw new IllegalStateException(
            "the Kafka broker did not become ready within " + START_TIMEOUT + "; " + tail(log));
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        admin.close(Duration.ZERO);
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
      }
    }
  }

  /**
   * The broker's class path: from {@value #CLASSPATH_PROPERTY} if set, else from the list that the
   * {@code streamfirst-kafka-broker} artifact carries, with its repository token replaced by the
   * local Maven repository.
   */
  static List<String> brokerClasspath() {
    String explicit = System.getProperty(CLASSPATH_PROPERTY);
    List<String> entries;
    String origin;
    if (explicit != null && !explicit.isBlank()) {
      entries = List.of(explicit.split(File.pathSeparator));
      origin = "-D" + CLASSPATH_PROPERTY;
    } else {
      String listed = readResource();
      String repository = localRepository();
      entries =
          Stream.of(listed.trim().split(File.pathSeparator))
              .filter(entry -> !entry.isBlank())
              .map(entry -> entry.replace(REPOSITORY_TOKEN, repository))
              .toList();
      origin = "the streamfirst-kafka-broker list (repository " + repository + ")";
    }
    List<String> missing = entries.stream().filter(e -> !new File(e).exists()).toList();
    if (entries.isEmpty() || !missing.isEmpty()) {
      throw new IllegalStateException(
          "the Kafka broker's class path from "
              + origin
              + " names files that do not exist: "
              + (entries.isEmpty() ? "(empty)" : missing.get(0))
              + (missing.size() > 1 ? " and " + (missing.size() - 1) + " more" : "")
              + "; build with Maven (mvn -B verify) so it resolves them, or set -D"
              + REPOSITORY_PROPERTY
              + " to your local repository");
    }
    return entries;
  }

  private static String readResource() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = KafkaBroker.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "no Kafka broker class path: add the test dependency"
                + " dev.streamfirst:streamfirst-kafka-broker, or set -D"
                + CLASSPATH_PROPERTY
                + " to the broker's jars");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CLASSPATH_RESOURCE, e);
    }
  }

  private static String localRepository() {
    for (String property : List.of(REPOSITORY_PROPERTY, "maven.repo.local")) {
      String value = System.getProperty(property);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return Paths.get(System.getProperty("user.home"), ".m2", "repository").toString();
  }

  private static String ownLocation() {
    try {
      return Paths.get(
              ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the streamfirst-testing classes", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /**
   * A random cluster id as Kafka writes them: 16 bytes, URL-safe base64 without padding. Never one
   * that starts with '-': the storage tool would take it for an option (one id in 64 did, and the
   * broker then failed to start), which is why Kafka's own ids avoid it too.
   */
  static String clusterId() {
    while (true) {
      UUID uuid = UUID.randomUUID();
      ByteBuffer bytes = ByteBuffer.allocate(16);
      bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      // The cause of a failed start is often logged long before the shutdown noise at the end.
      List<String> errors = new ArrayList<>();
      for (int i = 0; i < lines.size() && errors.size() < 9; i++) {
        if (lines.get(i).contains(" ERROR ")) {
          // The error and the exception under it.
          errors.addAll(lines.subList(i, Math.min(lines.size(), i + 3)));
          i += 2;
        }
      }
      return (errors.isEmpty() ? "" : "first errors:\n" + String.join("\n", errors) + "\n")
          + "last lines of "
          + log
          + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "its log " + log + " cannot be read: " + e;
    }
  }

  private static Map<String, Object> adminClientConfig(Security security) {
    if (security == null) {
      return Map.of();
    }
    Map<String, Object> config = new HashMap<>();
    config.put("security.protocol", "SASL_SSL");
    config.put("sasl.mechanism", "SCRAM-SHA-512");
    config.put("sasl.jaas.config", jaasConfig(ADMIN_USER, security.adminPassword));
    config.put("ssl.truststore.location", security.tls.trustStore().toString());
    config.put("ssl.truststore.type", "PKCS12");
    config.put("ssl.truststore.password", security.tls.password());
    return config;
  }

  private static String randomPassword() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** What a secured broker adds: its certificates and the administrator's password. */
  private record Security(TestCertificates tls, String adminPassword) {
    List<String> serverProperties(int brokerPort, int controllerPort, List<String> plain) {
      List<String> properties = new ArrayList<>();
      for (String line : plain) {
        if (!line.startsWith("listeners=")
            && !line.startsWith("advertised.listeners=")
            && !line.startsWith("inter.broker.listener.name=")
            && !line.startsWith("listener.security.protocol.map=")) {
          properties.add(line);
        }
      }
      properties.addAll(
          List.of(
              "listeners=SASL_SSL://127.0.0.1:"
                  + brokerPort
                  + ",CONTROLLER://127.0.0.1:"
                  + controllerPort,
              "advertised.listeners=SASL_SSL://127.0.0.1:" + brokerPort,
              "inter.broker.listener.name=SASL_SSL",
              "listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL",
              "sasl.enabled.mechanisms=SCRAM-SHA-512",
              "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
              "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
                  + jaasConfig(ADMIN_USER, adminPassword),
              "ssl.keystore.location=" + tls.serverKeyStore(),
              "ssl.keystore.type=PKCS12",
              "ssl.keystore.password=" + tls.password(),
              "ssl.key.password=" + tls.password(),
              // The broker is a client of itself too (and checks at start that it could be).
              "ssl.truststore.location=" + tls.trustStore(),
              "ssl.truststore.type=PKCS12",
              "ssl.truststore.password=" + tls.password(),
              "ssl.client.auth=none",
              "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
              "allow.everyone.if.no.acl.found=false",
              // The controller listener stays plain text on loopback; its callers (the broker
              // half of this same process) are ANONYMOUS there and must be allowed everything.
              "super.users=User:" + ADMIN_USER + ";User:ANONYMOUS"));
      return properties;
    }
  }

  private static void deleteQuietly(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException | UncheckedIOException e) {
      // Only a temporary directory is left behind.
    }
  }
}
