package dev.streamfirst.pipelines.transactions;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.testing.EventJson;
import dev.streamfirst.testing.servers.postgres.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Instant;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The transactions pipeline end to end: transactions from files, accounts in a real PostgreSQL
 * server, alerts and dead letters to files; the alerts must be exactly the expected ones, whether
 * the accounts are looked up or held in memory.
 */
public class TransactionsPipelineIT {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static String accounts;
  private static Path input;

  @BeforeClass
  public static void setUp() throws IOException {
    PostgresServer postgres = PostgresServer.shared();
    String url = postgres.jdbcUrl(postgres.createDatabase("transactions_it"));
    postgres.execute(
        url,
        "CREATE TABLE accounts (account_id text PRIMARY KEY, country text NOT NULL,"
            + " usual_amount numeric(12,2) NOT NULL)",
        "INSERT INTO accounts VALUES ('acct-de', 'DE', 40), ('acct-fr', 'FR', 1000),"
            + " ('acct-br', 'BR', 15.5)");
    accounts = url + "&table=accounts&key=account_id";

    List<String> lines = new ArrayList<>();
    lines.add(tx("t-1", "acct-de", 0, 35, "DE")); // fine
    lines.add(tx("t-2", "acct-de", 1, 121, "DE")); // > 3 x 40
    lines.add(tx("t-2", "acct-de", 1, 121, "DE")); // re-delivery: no second alert
    lines.add(tx("t-3", "acct-fr", 2, 900, "PT")); // country differs
    lines.add(tx("t-4", "acct-br", 3, 47, "US")); // both
    lines.add(tx("t-5", "acct-xx", 4, 1, "DE")); // unknown account
    lines.add(tx("t-6", "acct-fr", 5, 3000, "FR")); // exactly 3 x 1000: fine
    lines.add("{\"id\":\"t-7\",\"key\":\"acct-de\"}"); // no ts, no value: dead letter
    input = TMP.newFolder("tx").toPath();
    Files.write(input.resolve("tx.jsonl"), lines, StandardCharsets.UTF_8);
  }

  private static String tx(String id, String account, int second, double amount, String country) {
    return EventJson.event(id, account, T0.plus(second * 1000L), amount)
        .with("country", country)
        .toJson();
  }

  private static final Set<String> EXPECTED_ALERTS =
      Set.of(
          "t-2 amount_above_usual",
          "t-3 country_differs",
          "t-4 amount_above_usual",
          "t-4 country_differs",
          "t-5 unknown_account");

  private static Path run(String... flags) throws IOException {
    Path out = TMP.newFolder().toPath();
    List<String> args = new ArrayList<>(List.of(flags));
    args.add("--runner=DirectRunner");
    args.add("--source=file://" + input);
    args.add("--sink=file://" + out + "/alerts");
    args.add("--deadLetter=file://" + out + "/dead");
    TransactionsOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0]))
            .withValidation()
            .as(TransactionsOptions.class);
    PipelineResult result = TransactionsPipeline.create(options).run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
    return out;
  }

  private static List<JsonNode> read(Path dir) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return nodes;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.collect(Collectors.toList())) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          nodes.add(JSON.readTree(line));
        }
      }
    }
    return nodes;
  }

  private static Set<String> alerts(Path out) throws IOException {
    return read(out.resolve("alerts")).stream()
        .map(a -> a.get("id").asText() + " " + a.get("rule").asText())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  public void accountsLookedUp_raiseExactlyTheExpectedAlerts() throws IOException {
    Path out = run("--reference=" + accounts, "--lookupBatchSize=2");
    assertEquals(EXPECTED_ALERTS, alerts(out));
    JsonNode t4 =
        read(out.resolve("alerts")).stream()
            .filter(a -> a.get("id").asText().equals("t-4"))
            .findFirst()
            .get();
    assertEquals("BR", t4.get("ref").get("country").asText());
    assertEquals(15.5, t4.get("ref").get("usual_amount").asDouble(), 0);
    assertEquals("US", t4.get("event").get("country").asText());
    List<JsonNode> dead = read(out.resolve("dead"));
    assertEquals(1, dead.size());
    assertEquals("parse", dead.get(0).get("stage").asText());
  }

  @Test
  public void accountsHeldInMemory_raiseTheSameAlerts() throws IOException {
    Path out = run("--reference=" + accounts, "--enrichMode=TABLE");
    assertEquals(EXPECTED_ALERTS, alerts(out));
  }

  @Test
  public void unknownAccountAsDeadLetter_isKeptWithTheReason() throws IOException {
    Path out = run("--reference=" + accounts, "--onMiss=DEAD_LETTER");
    Set<String> alerts = alerts(out);
    assertTrue(alerts.contains("t-2 amount_above_usual"));
    assertTrue(!alerts.contains("t-5 unknown_account"));
    List<JsonNode> enrichDead =
        read(out.resolve("dead")).stream()
            .filter(d -> d.get("stage").asText().equals("enrich"))
            .collect(Collectors.toList());
    assertEquals(1, enrichDead.size());
    assertEquals("no reference data for key 'acct-xx'", enrichDead.get(0).get("error").asText());
    assertEquals(
        "t-5", JSON.readTree(enrichDead.get(0).get("payload").asText()).get("id").asText());
  }
}
