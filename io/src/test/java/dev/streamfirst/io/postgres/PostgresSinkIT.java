package dev.streamfirst.io.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.io.PanedRows;
import dev.streamfirst.io.Sinks;
import dev.streamfirst.testing.servers.postgres.PostgresServer;
import dev.streamfirst.transforms.aggregate.Stats;
import dev.streamfirst.transforms.aggregate.StatsRow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/** Rows upserted into a real PostgreSQL server, read back with SQL. */
public class PostgresSinkIT {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final transient TestPipeline replay = TestPipeline.create();

  private final PostgresServer postgres = PostgresServer.shared();

  @Test
  public void earlyOnTimeAndLatePanes_leaveOneRowPerKeyAndWindow_withTheLatestPane()
      throws Exception {
    String db = postgres.createDatabase("panes");
    String url = postgres.jdbcUrl(db) + "&table=rollup_rows";
    PanedRows panes = PanedRows.create();

    p.apply(panes).apply(Sinks.write(url));
    p.run().waitUntilFinish();

    List<StatsRow> emitted = panes.emitted();
    assertThat(
        emitted.stream().map(StatsRow::paneTiming).collect(Collectors.toSet()),
        hasItems(Timing.EARLY, Timing.ON_TIME, Timing.LATE));
    Map<List<Object>, StatsRow> latest =
        PanedRows.latest(
            emitted,
            row -> List.of(row.key(), row.windowStart(), row.windowEnd()),
            Comparator.comparingLong(StatsRow::paneIndex));
    assertEquals(sorted(latest.values()), selectAll(db, "rollup_rows"));
    // By hand: a in [10:00, 10:01) had 1, 2, 4 and the late 8, and its last pane is final.
    StatsRow a1 = latest.get(List.of("a", PanedRows.W1_START, PanedRows.W2_START));
    assertEquals(Stats.of(4, 15, 1, 8, 3.75), a1.stats());
    assertEquals(true, a1.isFinal());

    // An early pane of that window, replayed afterwards (a restarted job, a re-sent batch),
    // leaves the stored result alone.
    StatsRow early =
        emitted.stream()
            .filter(row -> row.key().equals("a") && row.paneTiming() == Timing.EARLY)
            .findFirst()
            .orElseThrow();
    replay.apply(Create.of(early.toJson())).apply(Sinks.write(url));
    replay.run().waitUntilFinish();

    assertEquals(sorted(latest.values()), selectAll(db, "rollup_rows"));
  }

  @Test
  public void panesArrivingInAnyOrder_keepTheHighest_inASchemaQualifiedTable() throws Exception {
    String db = postgres.createDatabase("order");
    try (Connection c = postgres.connect(db);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA live");
    }
    String url = postgres.jdbcUrl(db) + "&table=live.rollup";
    List<String> panes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      panes.add(row("k", i, i == 5).toJson());
    }
    Collections.reverse(panes);

    p.apply(Create.of(panes)).apply(Sinks.write(url));
    p.run().waitUntilFinish();
    replay
        .apply(Create.of(row("k", 2, false).toJson(), row("k", 5, true).toJson()))
        .apply(Sinks.write(url));
    replay.run().waitUntilFinish();

    assertEquals(List.of(row("k", 5, true)), selectAll(db, "live.rollup"));
  }

  @Test
  public void globalWindowRow_isStoredWithInfiniteBounds() throws Exception {
    String db = postgres.createDatabase("global");
    StatsRow global =
        StatsRow.of(
            "g",
            BoundedWindow.TIMESTAMP_MIN_VALUE,
            GlobalWindow.INSTANCE.maxTimestamp().plus(Duration.millis(1)),
            Stats.of(2, 3, 1, 2, 1.5),
            Timing.EARLY,
            0,
            false);

    p.apply(Create.of(global.toJson())).apply(Sinks.write(postgres.jdbcUrl(db) + "&table=g"));
    p.run().waitUntilFinish();

    try (Connection c = postgres.connect(db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT window_start = '-infinity'::timestamptz AS open_start,"
                    + " window_end = 'infinity'::timestamptz AS open_end, count FROM g")) {
      assertTrue(r.next());
      assertTrue("window_start is -infinity", r.getBoolean("open_start"));
      assertTrue("window_end is infinity", r.getBoolean("open_end"));
      assertEquals(2, r.getLong("count"));
      assertFalse(r.next());
    }
  }

  /** Pane {@code index} of key {@code key} in one window: {@code index + 1} values of 1..n. */
  private static StatsRow row(String key, long index, boolean isFinal) {
    long n = index + 1;
    Instant start = PanedRows.T0;
    return StatsRow.of(
        key,
        start,
        start.plus(Duration.standardMinutes(1)),
        Stats.of(n, n * (n + 1) / 2.0, 1, n, (n + 1) / 2.0),
        index == 0 ? Timing.ON_TIME : Timing.LATE,
        index,
        isFinal);
  }

  private List<StatsRow> selectAll(String db, String table) throws SQLException {
    List<StatsRow> rows = new ArrayList<>();
    try (Connection c = postgres.connect(db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT key, window_start, window_end, count, sum, min, max, mean, pane,"
                    + " pane_index, final FROM "
                    + table)) {
      while (r.next()) {
        rows.add(
            StatsRow.of(
                r.getString("key"),
                instant(r.getObject("window_start", OffsetDateTime.class)),
                instant(r.getObject("window_end", OffsetDateTime.class)),
                Stats.of(
                    r.getLong("count"),
                    r.getDouble("sum"),
                    r.getDouble("min"),
                    r.getDouble("max"),
                    r.getDouble("mean")),
                Timing.valueOf(r.getString("pane")),
                r.getLong("pane_index"),
                r.getBoolean("final")));
      }
    }
    return sorted(rows);
  }

  private static Instant instant(OffsetDateTime time) {
    return new Instant(time.toInstant().toEpochMilli());
  }

  private static List<StatsRow> sorted(Collection<StatsRow> rows) {
    return rows.stream()
        .sorted(
            Comparator.comparing(StatsRow::key)
                .thenComparing(StatsRow::windowStart)
                .thenComparing(StatsRow::windowEnd))
        .collect(Collectors.toList());
  }
}
