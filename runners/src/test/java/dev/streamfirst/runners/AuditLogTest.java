package dev.streamfirst.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Every launched run appends one audit record; dead letters carry the job id it names. */
public class AuditLogTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int launch(String... args) {
    return new Launcher(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
  }

  private static List<String> lines(Path directory) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (!file.getFileName().toString().startsWith(".")) {
          lines.addAll(Files.readAllLines(file));
        }
      }
    }
    return lines;
  }

  @Test
  public void eachRun_appendsOneMaskedRecord_andDeadLettersCarryItsJobId() throws IOException {
    Path audit = tmp.getRoot().toPath().resolve("audit.jsonl");
    ObjectMapper json = new ObjectMapper();
    List<String> jobIds = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      Path out = tmp.newFolder("run" + run).toPath();
      int code =
          launch(
              "run",
              "rollup",
              "--source=generator://events?count=120&malformed=0.1&seed=" + run,
              "--sink=file://" + out.resolve("rows"),
              "--deadLetter=file://" + out.resolve("dead-letters"),
              "--reference=unused",
              "--auditLog=file://" + audit);
      // --reference is not a rollup option: the run is refused, and a refused run is no run.
      assertEquals(Launcher.USAGE, code);
      code =
          launch(
              "run",
              "rollup",
              "--source=generator://events?count=120&malformed=0.1&seed=" + run,
              "--sink=file://" + out.resolve("rows"),
              "--deadLetter=file://" + out.resolve("dead-letters"),
              "--auditLog=file://" + audit);
      assertEquals(err.toString(), Launcher.OK, code);

      List<String> records = Files.readAllLines(audit);
      assertEquals(run + 1, records.size());
      JsonNode record = json.readTree(records.get(run));
      assertEquals(System.getProperty("user.name"), record.get("user").textValue());
      assertEquals("rollup", record.get("pipeline").textValue());
      assertEquals("DirectRunner", record.get("runner").textValue());
      assertEquals(0, record.get("exitCode").intValue());
      assertEquals("DONE", record.get("status").textValue());
      assertThat(record.get("counters").size(), greaterThan(0));
      assertTrue(record.get("io").get("source").textValue().startsWith("generator://events"));
      assertTrue(record.get("options").has("auditLog"));
      String jobId = record.get("jobId").textValue();
      assertFalse(jobId.isEmpty());
      jobIds.add(jobId);

      List<String> deadLetters = lines(out.resolve("dead-letters"));
      assertFalse("the generator made malformed events", deadLetters.isEmpty());
      for (String letter : deadLetters) {
        assertEquals(jobId, json.readTree(letter).get("jobId").textValue());
      }
    }
    assertThat(jobIds.get(1), not(jobIds.get(0)));
  }

  @Test
  public void secretsInFlags_areMaskedInTheRecord() throws IOException {
    String secret = "hunter2-" + System.nanoTime();
    Path out = tmp.newFolder("out").toPath();
    Path sinks = out.resolve("rows");
    ObjectMapper json = new ObjectMapper();
    AuditLog.Run run =
        new AuditLog.Run(
            "rollup",
            new String[] {
              "rollup",
              "--source=kafka://b:9092/t?kafka.sasl.jaas.config=x%20password%3D" + secret,
              "--sink=file://" + sinks,
              "--dbPassword=" + secret
            },
            PreparedRun.of(
                    dev.streamfirst.pipelines.PipelineCatalog.find("rollup").orElseThrow(),
                    "--source=kafka://b:9092/t?kafka.sasl.jaas.config=x%20password%3D" + secret,
                    "--sink=file://" + sinks)
                .options(),
            java.time.Instant.EPOCH,
            java.time.Instant.EPOCH,
            null,
            java.util.Map.of("read", 3L),
            1,
            "FAILED: boom");

    String record = AuditLog.record(run).toString();

    assertThat(record, not(containsString(secret)));
    JsonNode node = json.readTree(record);
    assertEquals("*****", node.get("options").get("dbPassword").textValue());
    assertEquals(
        "kafka://b:9092/t?kafka.sasl.jaas.config=*****", node.get("io").get("source").textValue());
    assertEquals(3, node.get("counters").get("read").intValue());
  }

  @Test
  public void auditLogThatIsNotAFileUri_isRefusedNamingTheForm() {
    int code = launch("run", "rollup", "--auditLog=/var/log/audit.jsonl");

    assertEquals(Launcher.USAGE, code);
    assertThat(
        err.toString(),
        containsString(
            "--auditLog must be a file:/// URI of an absolute path or a kafka:// topic"));
  }

  @Test
  public void kafkaAuditLogWithoutATopic_isRefusedBeforeTheRun_withoutItsSecret() {
    int code =
        launch(
            "run",
            "rollup",
            "--auditLog=kafka://127.0.0.1:9092?kafka.sasl.jaas.config=x%20password%3D%22hush%22");

    assertEquals(Launcher.USAGE, code);
    assertThat(err.toString(), containsString("--auditLog: "));
    assertThat(err.toString(), containsString("topic"));
    assertThat(err.toString(), not(containsString("hush")));
  }
}
