package dev.streamfirst.io.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.Test;

public class PostgresSinkTest {

  private static IllegalArgumentException refused(String url) {
    return assertThrows(IllegalArgumentException.class, () -> PostgresSink.to(url));
  }

  @Test
  public void ownParameters_areTakenOut_driverParameters_stayAsWritten() {
    PostgresSink sink =
        PostgresSink.to(
            "jdbc:postgresql://db.internal:5433/metrics"
                + "?table=live.rollup&user=writer&password=s%26cret&sslmode=require&options=-c%20x");

    assertEquals(
        "jdbc:postgresql://db.internal:5433/metrics?sslmode=require&options=-c%20x", sink.url());
    assertEquals("writer", sink.user());
    assertEquals("s&cret", sink.password());
    assertEquals("live.rollup", sink.table());
  }

  @Test
  public void table_defaultsToRollup() {
    PostgresSink sink = PostgresSink.to("jdbc:postgresql://localhost/metrics");

    assertEquals(PostgresSink.DEFAULT_TABLE, sink.table());
    assertEquals("jdbc:postgresql://localhost/metrics", sink.url());
    assertNull(sink.user());
  }

  @Test
  public void tableThatIsNotAnIdentifier_isRefusedWithExamples() {
    IllegalArgumentException e =
        refused("jdbc:postgresql://localhost/metrics?table=rollup;drop%20table%20x");

    assertThat(e.getMessage(), containsString("table name 'rollup;drop table x'"));
    assertThat(e.getMessage(), containsString("e.g. rollup or metrics.rollup"));
  }

  @Test
  public void otherDatabase_isRefused() {
    IllegalArgumentException e = refused("jdbc:mysql://localhost/metrics");

    assertThat(e.getMessage(), containsString("is not a PostgreSQL JDBC URL"));
    assertThat(e.getMessage(), containsString("e.g. " + PostgresSink.EXAMPLE));
  }

  @Test
  public void missingDatabase_isRefused() {
    IllegalArgumentException e = refused("jdbc:postgresql://localhost:5432?table=rollup");

    assertThat(e.getMessage(), containsString("needs a database name after the host"));
  }

  @Test
  public void missingHost_isRefused() {
    IllegalArgumentException e = refused("jdbc:postgresql:metrics");

    assertThat(e.getMessage(), containsString("names no host"));
  }

  @Test
  public void userInfoBeforeHost_isRefusedAndThePasswordNotShown() {
    IllegalArgumentException e = refused("jdbc:postgresql://me:topsecret@localhost/metrics");

    assertThat(e.getMessage(), containsString("give them as parameters instead"));
  }

  @Test
  public void passwordInARefusedUrl_isNotShown() {
    IllegalArgumentException e = refused("jdbc:postgresql://localhost?password=topsecret");

    assertThat(e.getMessage(), containsString("password=***"));
    assertThat(e.getMessage(), not(containsString("topsecret")));
  }

  @Test
  public void password_isInNeitherDisplayDataNorToString() {
    PostgresSink sink =
        PostgresSink.to("jdbc:postgresql://localhost/metrics?user=writer&password=topsecret");

    assertThat(DisplayData.from(sink).toString(), not(containsString("topsecret")));
    assertThat(DisplayData.from(sink).toString(), containsString("writer"));
    assertThat(sink.toString(), not(containsString("topsecret")));
  }

  @Test
  public void upsert_onlyReplacesWithAHigherPane() {
    assertThat(
        PostgresSink.upsertSql("rollup"),
        containsString("ON CONFLICT (key, window_start, window_end) DO UPDATE"));
    assertThat(
        PostgresSink.upsertSql("rollup"),
        containsString("WHERE t.pane_index < EXCLUDED.pane_index"));
  }
}
