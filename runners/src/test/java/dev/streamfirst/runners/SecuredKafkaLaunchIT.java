package dev.streamfirst.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.runners.flink.FlinkRest;
import dev.streamfirst.runners.flink.FlinkSessionCluster;
import dev.streamfirst.runners.flink.SharedFlinkCluster;
import dev.streamfirst.testing.servers.kafka.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The launcher against a SASL_SSL broker with ACLs: the rollup pipeline runs with its password and
 * trust store password given as {@code ${file:..}} references, and nothing it prints, logs or keeps
 * (its stdout and stderr, the JVM's logs, the audit record, the run report and its summary.json,
 * the records it wrote, and on the Flink cluster the job's configuration from the REST API) holds
 * either value; a wrong password stops the launch in seconds, naming the cause.
 */
public class SecuredKafkaLaunchIT {
  @ClassRule public static final TemporaryFolder FILES = new TemporaryFolder();

  private static final String USER = "rollup";
  private static final String PASSWORD = "rollupPw-" + Long.toHexString(System.nanoTime());

  private static KafkaBroker kafka;
  private static Path passwordFile;
  private static Path trustPasswordFile;

  @BeforeClass
  public static void startBroker() throws IOException {
    kafka = KafkaBroker.sharedSecured();
    kafka.createUser(USER, PASSWORD);
    kafka.allow(
        USER,
        ResourceType.TOPIC,
        "launch-",
        PatternType.PREFIXED,
        AclOperation.READ,
        AclOperation.WRITE,
        AclOperation.DESCRIBE);
    passwordFile = FILES.newFile("kafka-password").toPath();
    Files.writeString(passwordFile, PASSWORD + "\n");
    trustPasswordFile = FILES.newFile("truststore-password").toPath();
    Files.writeString(trustPasswordFile, kafka.certificates().password());
  }

  private static String uri(String topic, String passwordReference, String extra) {
    String jaas =
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + USER
            + "\" password=\""
            + passwordReference
            + "\";";
    return "kafka://"
        + kafka.bootstrapServers()
        + "/"
        + topic
        + "?kafka.security.protocol=SASL_SSL&kafka.sasl.mechanism=SCRAM-SHA-512"
        + "&kafka.sasl.jaas.config="
        + URLEncoder.encode(jaas, StandardCharsets.UTF_8).replace("+", "%20")
        + "&kafka.ssl.truststore.type=PKCS12&kafka.ssl.truststore.location="
        + kafka.certificates().trustStore()
        + "&kafka.ssl.truststore.password=${file:"
        + trustPasswordFile
        + "}"
        + extra;
  }

  private static List<String> events(int count) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(
          "{\"id\":\"e-"
              + i
              + "\",\"key\":\"k"
              + (i % 3)
              + "\",\"ts\":\"2026-12-03T10:00:0"
              + (i % 10)
              + "Z\",\"value\":"
              + i
              + "}");
    }
    events.add("not json");
    return events;
  }

  /** Runs the launcher with the JVM's own stdout and stderr (where client logs go) captured. */
  private static String[] launch(List<String> args, int[] exit) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    PrintStream systemOut = System.out;
    PrintStream systemErr = System.err;
    PrintStream captured = new PrintStream(logs, true, StandardCharsets.UTF_8);
    System.setOut(captured);
    System.setErr(captured);
    try {
      exit[0] =
          new Launcher(
                  new PrintStream(out, true, StandardCharsets.UTF_8),
                  new PrintStream(err, true, StandardCharsets.UTF_8))
              .run(args.toArray(new String[0]));
    } finally {
      System.setOut(systemOut);
      System.setErr(systemErr);
    }
    return new String[] {
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8),
      logs.toString(StandardCharsets.UTF_8)
    };
  }

  private static void assertNoSecret(String where, String text) {
    assertFalse(where + " shows the Kafka password", text.contains(PASSWORD));
    assertFalse(
        where + " shows the trust store password", text.contains(kafka.certificates().password()));
  }

  @Test
  public void rollup_withSecretReferences_runsAndShowsNoSecretAnywhere() throws IOException {
    String in = kafka.createTopic("launch-in", 1);
    String rows = kafka.createTopic("launch-rows", 1);
    String deadLetters = kafka.createTopic("launch-dead", 1);
    kafka.sendValues(in, events(30));
    Path audit = FILES.getRoot().toPath().resolve("audit.jsonl");
    Path report = FILES.newFolder("report").toPath();
    String reference = "${file:" + passwordFile + "}";
    int[] exit = new int[1];

    String[] shown =
        launch(
            List.of(
                "run",
                "rollup",
                "--source=" + uri(in, reference, "&until=end"),
                "--sink=" + uri(rows, reference, ""),
                "--deadLetter=" + uri(deadLetters, reference, ""),
                "--window=fixed:60s",
                "--report=" + report,
                "--auditLog=file://" + audit),
            exit);

    assertEquals(shown[1], Launcher.OK, exit[0]);
    assertFalse(kafka.readValues(rows).isEmpty());
    List<String> letters = kafka.readValues(deadLetters);
    assertEquals(1, letters.size());
    String record = Files.readString(audit);
    String jobId = new ObjectMapper().readTree(record).get("jobId").textValue();
    assertEquals(jobId, new ObjectMapper().readTree(letters.get(0)).get("jobId").textValue());
    assertNoSecret("stdout", shown[0]);
    assertNoSecret("stderr", shown[1]);
    assertNoSecret("logs", shown[2]);
    assertNoSecret("audit record", record);
    assertNoSecret("rows", String.join("\n", kafka.readValues(rows)));
    assertNoSecret("dead letters", String.join("\n", letters));
    assertNoSecretIn(report);
  }

  @Test
  public void rollupOnTheFlinkCluster_jobConfigurationHoldsReferencesNotSecrets() throws Exception {
    String in = kafka.createTopic("launch-flink-in", 1);
    String rows = kafka.createTopic("launch-flink-rows", 1);
    String deadLetters = kafka.createTopic("launch-flink-dead", 1);
    String audit = kafka.createTopic("launch-flink-audit", 1);
    kafka.sendValues(in, events(30));
    FlinkSessionCluster cluster = SharedFlinkCluster.get();
    Path report = FILES.newFolder("flink-report").toPath();
    String jobName = "secret-scan-" + System.nanoTime();
    String reference = "${file:" + passwordFile + "}";
    int[] exit = new int[1];

    String[] shown =
        launch(
            List.of(
                "run",
                "rollup",
                "--runner=FlinkRunner",
                "--flinkMaster=" + cluster.master(),
                "--filesToStage=" + SharedFlinkCluster.bundledJar(),
                "--jobName=" + jobName,
                "--source=" + uri(in, reference, "&until=end"),
                "--sink=" + uri(rows, reference, ""),
                "--deadLetter=" + uri(deadLetters, reference, ""),
                "--window=fixed:60s",
                "--report=" + report,
                "--auditLog=" + uri(audit, reference, "")),
            exit);

    assertEquals(shown[1], Launcher.OK, exit[0]);
    assertFalse(kafka.readValues(rows).isEmpty());
    String jobId = FlinkRest.at(cluster.master()).jobNamed(jobName).orElseThrow().id();
    HttpResponse<String> config =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://" + cluster.master() + "/jobs/" + jobId + "/config"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, config.statusCode());
    // The options are in the job's configuration: as references, for the TaskManagers to resolve.
    assertThat(config.body(), containsString("${file:" + trustPasswordFile + "}"));
    assertNoSecret("Flink job configuration (REST)", config.body());
    // The audit record went to a topic on the same secured broker, through the same references.
    List<String> records = kafka.readValues(audit);
    assertEquals(1, records.size());
    var record = new ObjectMapper().readTree(records.get(0));
    assertEquals(jobName, record.get("jobId").textValue());
    assertEquals(jobId, record.get("runnerJobId").textValue());
    assertEquals("DONE", record.get("status").textValue());
    assertNoSecret("audit record (Kafka)", records.get(0));
    assertNoSecret("stdout", shown[0]);
    assertNoSecret("stderr", shown[1]);
    assertNoSecret("logs", shown[2]);
    assertNoSecretIn(report);
  }

  /** Every file of a run report (the page and summary.json) is free of the secrets. */
  private static void assertNoSecretIn(Path report) throws IOException {
    List<Path> files;
    try (var walk = Files.walk(report)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertFalse("the run wrote no report in " + report, files.isEmpty());
    for (Path file : files) {
      assertNoSecret("report " + file.getFileName(), Files.readString(file));
    }
  }

  @Test
  public void wrongPassword_stopsTheLaunchInSecondsNamingAuthentication() throws IOException {
    String in = kafka.createTopic("launch-badpw", 1);
    Path wrong = FILES.newFile("wrong-password").toPath();
    Files.writeString(wrong, "not-" + PASSWORD);
    String reference = "${file:" + wrong + "}";
    int[] exit = new int[1];
    long started = System.nanoTime();

    String[] shown =
        launch(
            List.of(
                "run",
                "rollup",
                "--source=" + uri(in, reference, ""),
                "--sink=file://" + FILES.newFolder("rows"),
                "--deadLetter=file://" + FILES.newFolder("dead")),
            exit);

    assertThat((System.nanoTime() - started) / 1_000_000L, lessThan(15_000L));
    assertEquals(shown[1], Launcher.USAGE, exit[0]);
    assertThat(shown[1], containsString("authentication failed"));
    assertThat(shown[1], containsString("user '" + USER + "'"));
    assertNoSecret("stderr", shown[1]);
    assertFalse(shown[1].contains("not-" + PASSWORD));
  }
}
