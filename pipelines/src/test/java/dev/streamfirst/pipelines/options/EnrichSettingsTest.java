package dev.streamfirst.pipelines.options;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.pipelines.transactions.TransactionsOptions;
import dev.streamfirst.pipelines.transactions.TransactionsPipeline;
import dev.streamfirst.transforms.enrich.OnMiss;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.Test;

public class EnrichSettingsTest {
  private static final String JDBC =
      "jdbc:postgresql://db:5432/bank?user=app&table=accounts&key=account_id";

  private static EnrichSettings settings(String... args) {
    OptionChecks checks = new OptionChecks();
    EnrichSettings settings =
        EnrichSettings.from(PipelineOptionsFactory.fromArgs(args).as(EnrichOptions.class), checks);
    checks.throwIfAny();
    return settings;
  }

  private static String problem(String... args) {
    return assertThrows(InvalidOptionsException.class, () -> settings(args)).getMessage();
  }

  @Test
  public void noReference_meansNoEnrichment() {
    assertNull(settings());
  }

  @Test
  public void jdbc_isLookedUpWithTheLookupSettings() {
    EnrichSettings s =
        settings(
            "--reference=" + JDBC,
            "--lookupBatchSize=50",
            "--lookupCacheTtl=2m",
            "--lookupTimeout=750ms",
            "--onMiss=DEAD_LETTER");
    assertTrue(s.lookup());
    assertEquals(50, s.lookupSettings().batchSize());
    assertEquals(Duration.standardMinutes(2), s.lookupSettings().cacheTtl());
    assertEquals(Duration.millis(750), s.lookupSettings().timeout());
    assertEquals(OnMiss.DEAD_LETTER, s.onMiss());
  }

  @Test
  public void jdbcWithRefresh_isHeldAsATable() {
    EnrichSettings s = settings("--reference=" + JDBC, "--refreshEvery=5m");
    assertFalse(s.lookup());
    assertEquals(Duration.standardMinutes(5), s.refreshEvery());
  }

  @Test
  public void file_isATable_andHttp_aLookup() {
    assertFalse(settings("--reference=file:///ref/a.jsonl?key=id").lookup());
    assertTrue(settings("--reference=http://svc:8080/batch").lookup());
  }

  @Test
  public void httpWithRefresh_pointsToTheCacheTtl() {
    assertThat(
        problem("--reference=http://svc:8080/batch", "--refreshEvery=1m"),
        containsString("bound staleness with --lookupCacheTtl"));
  }

  @Test
  public void fileAsLookup_isRefused() {
    assertThat(
        problem("--reference=file:///ref/a.jsonl?key=id", "--enrichMode=LOOKUP"),
        containsString("--enrichMode=LOOKUP: a file reference is read whole"));
  }

  @Test
  public void badValues_nameTheOption() {
    assertThat(
        problem("--reference=" + JDBC, "--lookupTimeout=soon"),
        containsString("--lookupTimeout=soon: 'soon' is not a duration"));
    assertThat(
        problem("--reference=" + JDBC, "--lookupBatchSize=0"),
        containsString("withBatchSize() must be at least 1, got 0"));
    assertThat(
        problem("--reference=redis://r:6379"),
        containsString("--reference=redis://r:6379: unknown reference scheme 'redis'"));
  }

  @Test
  public void transactionsWithoutReference_saysItIsRequired() {
    TransactionsOptions options = PipelineOptionsFactory.fromArgs().as(TransactionsOptions.class);
    assertThat(
        assertThrows(InvalidOptionsException.class, () -> TransactionsPipeline.create(options))
            .getMessage(),
        containsString("--reference=null: the account reference is required"));
  }
}
