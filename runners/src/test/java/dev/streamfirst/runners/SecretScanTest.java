package dev.streamfirst.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.pipelines.PipelineCatalog;
import dev.streamfirst.pipelines.PipelineDefinition;
import dev.streamfirst.pipelines.options.AlertOptions;
import dev.streamfirst.pipelines.options.EnrichOptions;
import dev.streamfirst.testing.servers.tls.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.construction.PipelineOptionsTranslation;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every pipeline, with every secret it can take given as a {@code ${file:..}} reference in every
 * URI option: none of the secret values is in what the launcher and the runners keep or show before
 * a worker runs: the Dataflow job spec ({@code ./streamfirst dataflow-spec}) and what that command
 * prints, the display data of every step, the pipeline options as a runner serializes them (Flink
 * puts them in its job configuration), and the serialized steps themselves. The references are
 * there instead, for the workers to resolve.
 */
public class SecretScanTest {
  @ClassRule public static final TemporaryFolder FILES = new TemporaryFolder();

  private static final String KAFKA_PASSWORD = "kafkaPw-" + Long.toHexString(System.nanoTime());
  // The trust store's own (random) password, set when it is made.
  private static String trustPassword;
  private static final String DB_PASSWORD = "dbPw-" + Long.toHexString(System.nanoTime());
  private static List<String> secrets;

  private static Path kafkaFile;
  private static Path trustFile;
  private static Path dbFile;
  private static Path trustStore;

  @BeforeClass
  public static void writeSecrets() throws IOException {
    kafkaFile = FILES.newFile("kafka-password").toPath();
    trustFile = FILES.newFile("truststore-password").toPath();
    dbFile = FILES.newFile("db-password").toPath();
    Files.writeString(kafkaFile, KAFKA_PASSWORD + "\n");
    Files.writeString(dbFile, DB_PASSWORD + "\n");
    // A real trust store: translating a Kafka read for Dataflow makes a consumer, which loads it.
    TestCertificates tls = TestCertificates.create(FILES.newFolder("tls").toPath());
    trustStore = tls.trustStore();
    trustPassword = tls.password();
    Files.writeString(trustFile, trustPassword + "\n");
    secrets = List.of(KAFKA_PASSWORD, trustPassword, DB_PASSWORD);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String kafka(String topic) {
    String jaas =
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"app\""
            + " password=\"${file:"
            + kafkaFile
            + "}\";";
    return "kafka://127.0.0.1:9093/"
        + topic
        + "?kafka.security.protocol=SASL_SSL&kafka.sasl.mechanism=SCRAM-SHA-512"
        + "&kafka.sasl.jaas.config="
        + encode(jaas)
        + "&kafka.ssl.truststore.location="
        + trustStore
        + "&kafka.ssl.truststore.password=${file:"
        + trustFile
        + "}";
  }

  /** Secrets in every URI option the pipeline has. */
  private static List<String> flags(PipelineDefinition<?> pipeline, String source) {
    List<String> flags = new ArrayList<>();
    flags.add("--source=" + source);
    flags.add("--sink=" + kafka("results"));
    flags.add("--deadLetter=" + kafka("dead-letters"));
    if (AlertOptions.class.isAssignableFrom(pipeline.optionsClass())) {
      flags.add("--alertSink=" + kafka("alerts"));
    }
    if (EnrichOptions.class.isAssignableFrom(pipeline.optionsClass())) {
      flags.add(
          "--reference=jdbc:postgresql://127.0.0.1:5432/bank?user=app&password="
              + encode("${file:" + dbFile + "}")
              + "&table=accounts&key=account_id");
    }
    return flags;
  }

  private static void assertNoSecret(String where, String text) {
    for (String secret : secrets) {
      assertFalse(where + " shows a secret value", text.contains(secret));
    }
  }

  @Test
  public void dataflowSpecAndItsCommandOutput_holdReferencesNotSecrets() throws IOException {
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      Path spec = FILES.getRoot().toPath().resolve(pipeline.name() + "-spec.json");
      List<String> args = new ArrayList<>(List.of("dataflow-spec", pipeline.name()));
      // Dataflow's translation of a Kafka read asks the brokers for the topic's partitions, from
      // the launcher, so the source here is the generator; every other URI is Kafka or JDBC.
      args.addAll(flags(pipeline, "generator://events?rate=10"));
      args.add("--output=" + spec);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();

      int exit =
          new Launcher(new PrintStream(out, true), new PrintStream(err, true))
              .run(args.toArray(new String[0]));

      assertEquals(pipeline.name() + ": " + err, 0, exit);
      String json = Files.readString(spec);
      assertNoSecret(pipeline.name() + " Dataflow spec", json);
      assertNoSecret(pipeline.name() + " dataflow-spec stdout", out.toString());
      assertNoSecret(pipeline.name() + " dataflow-spec stderr", err.toString());
      // The options did reach the spec: as references, for the workers to resolve.
      assertThat(json, containsString("${file:" + trustFile + "}"));
    }
  }

  @Test
  public void displayDataOptionsAndSerializedSteps_holdNoSecret() throws IOException {
    for (PipelineDefinition<?> pipeline : PipelineCatalog.all()) {
      List<String> args = new ArrayList<>(List.of("--runner=DirectRunner"));
      args.addAll(flags(pipeline, kafka("events") + "&group=scan"));
      PreparedRun run = PreparedRun.of(pipeline, args.toArray(new String[0]));

      String options = PipelineOptionsTranslation.toProto(run.options()).toString();
      assertNoSecret(pipeline.name() + " serialized options", options);
      assertTrue(pipeline.name() + " options", options.contains("${file:" + trustFile + "}"));

      StringBuilder displayData = new StringBuilder();
      ByteArrayOutputStream serialized = new ByteArrayOutputStream();
      run.pipeline()
          .traverseTopologically(
              new Pipeline.PipelineVisitor.Defaults() {
                @Override
                public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
                  if (!node.isRootNode()) {
                    displayData.append(DisplayData.from(node.getTransform())).append('\n');
                  }
                  return CompositeBehavior.ENTER_TRANSFORM;
                }

                @Override
                public void visitPrimitiveTransform(TransformHierarchy.Node node) {
                  displayData.append(DisplayData.from(node.getTransform())).append('\n');
                  // What a runner ships to its workers is the serialized transform and its fns.
                  try (ObjectOutputStream objects = new ObjectOutputStream(serialized)) {
                    objects.writeObject(node.getTransform());
                  } catch (IOException e) {
                    // A transform only the runner replaces (e.g. Create's source holders).
                  }
                }
              });
      assertNoSecret(pipeline.name() + " display data", displayData.toString());
      assertNoSecret(
          pipeline.name() + " serialized steps", serialized.toString(StandardCharsets.ISO_8859_1));
      assertThat(
          pipeline.name() + " serialized steps",
          serialized.toString(StandardCharsets.ISO_8859_1),
          containsString("${file:" + kafkaFile + "}"));
    }
  }

  @Test
  public void launcherErrors_maskLiteralSecrets() {
    // A secret given literally (not as a reference) is still never echoed by the launcher.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String uri =
        "kafka://127.0.0.1:1/t?kafka.sasl.jaas.config="
            + encode("x password=\"" + KAFKA_PASSWORD + "\";")
            + "&kafka.ssl.truststore.password="
            + trustPassword
            + "&nonsense=1";

    int exit =
        new Launcher(new PrintStream(out, true), new PrintStream(err, true))
            .run(new String[] {"run", "rollup", "--source=" + uri, "--sink=file:///tmp/x"});

    assertEquals(Launcher.USAGE, exit);
    assertNoSecret("launcher stderr", err.toString());
    assertNoSecret("launcher stdout", out.toString());
    assertThat(err.toString(), containsString("unknown parameter 'nonsense'"));
  }
}
