package dev.streamfirst.io.reference;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.io.file.FileReferenceTable;
import dev.streamfirst.io.http.HttpLookupHandler;
import dev.streamfirst.io.jdbc.JdbcLookupHandler;
import dev.streamfirst.io.jdbc.JdbcReferenceTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReferencesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String JDBC =
      "jdbc:postgresql://db:5432/bank?user=app&password=secret&table=accounts&key=account_id";

  @Test
  public void eachSchemeGivesItsKindOfReference() {
    assertThat(References.lookup(JDBC), instanceOf(JdbcLookupHandler.class));
    assertThat(References.table(JDBC), instanceOf(JdbcReferenceTable.class));
    assertThat(References.lookup("http://svc:8080/batch"), instanceOf(HttpLookupHandler.class));
    assertThat(References.lookup("https://svc/a/{key}"), instanceOf(HttpLookupHandler.class));
    assertThat(
        References.table("file:///ref/a.jsonl?key=id"), instanceOf(FileReferenceTable.class));
    assertTrue(References.isLookupOnly("http://svc:8080/batch"));
    assertTrue(References.isTableOnly("file:///ref/a.jsonl?key=id"));
    assertFalse(References.isLookupOnly(JDBC));
  }

  @Test
  public void displayName_hidesThePassword() {
    String shown = References.lookup(JDBC).toString();
    assertEquals("JDBC lookup in accounts at jdbc:postgresql://db:5432/bank", shown);
    assertThat(References.table(JDBC).toString(), not(containsString("secret")));
  }

  @Test
  public void unknownScheme_listsTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> References.lookup("redis://r:6379"));
    assertThat(e.getMessage(), containsString("unknown reference scheme 'redis'"));
    assertThat(e.getMessage(), containsString("jdbc:postgresql://host:5432/db?"));
  }

  @Test
  public void jdbcWithoutKey_namesTheParameter() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> References.lookup("jdbc:postgresql://db/bank?table=accounts"));
    assertThat(e.getMessage(), containsString("needs key=<column holding the key>, got none"));
  }

  @Test
  public void jdbcTableThatIsNotAName_isRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> References.lookup("jdbc:postgresql://db/bank?table=a;drop&key=id"));
    assertThat(e.getMessage(), containsString("is not a table name"));
  }

  @Test
  public void jdbcQueryServesOnlyATable() {
    String uri = "jdbc:postgresql://db/bank?query=SELECT%20*%20FROM%20accounts&key=id";
    assertThat(References.table(uri).toString(), containsString("SELECT * FROM accounts"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> References.lookup(uri));
    assertThat(e.getMessage(), containsString("lookups need table=<table>"));
  }

  @Test
  public void httpCannotBeATable_andFileCannotBeLookedUp() {
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> References.table("http://svc/batch"))
            .getMessage(),
        containsString("can only be looked up"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class, () -> References.lookup("file:///a.jsonl?key=id"))
            .getMessage(),
        containsString("read whole as a side input"));
  }

  @Test
  public void fileWithoutKey_showsAnExample() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> References.table("file:///a.jsonl"));
    assertThat(e.getMessage(), containsString("file:///abs/accounts.jsonl?key=account_id"));
  }

  @Test
  public void fileTable_readsEveryLineByItsKeyField() throws Exception {
    Path file = tmp.newFile("sites.jsonl").toPath();
    Files.write(
        file,
        List.of("{\"site_id\":\"s1\",\"city\":\"Köln\"}", "", "{\"site_id\":7,\"city\":\"Oslo\"}"),
        StandardCharsets.UTF_8);
    Map<String, String> records = References.table("file://" + file + "?key=site_id").readAll();
    assertEquals(
        Map.of(
            "s1", "{\"site_id\":\"s1\",\"city\":\"Köln\"}",
            "7", "{\"site_id\":7,\"city\":\"Oslo\"}"),
        records);
  }

  @Test
  public void fileTable_lineWithoutKey_namesFileAndLine() throws Exception {
    Path file = tmp.newFile("bad.jsonl").toPath();
    Files.write(file, List.of("{\"site_id\":\"s1\"}", "{\"city\":\"x\"}"), StandardCharsets.UTF_8);
    IOException e =
        assertThrows(
            IOException.class, () -> References.table("file://" + file + "?key=site_id").readAll());
    assertThat(
        e.getMessage(),
        containsString("bad.jsonl line 2: expected a JSON object with field 'site_id'"));
  }
}
