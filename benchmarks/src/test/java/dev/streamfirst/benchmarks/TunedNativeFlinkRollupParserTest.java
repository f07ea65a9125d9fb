package dev.streamfirst.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import com.fasterxml.jackson.core.JsonFactory;
import dev.streamfirst.benchmarks.TunedNativeFlinkRollup.Parser;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.Test;

/** The tuned native job's parser keeps the plain loop's validity rules. */
public class TunedNativeFlinkRollupParserTest {
  private static final JsonFactory JSON = new JsonFactory();

  private static TunedNativeFlinkRollup.Event parse(String line) {
    byte[] bytes = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
    return Parser.parse(JSON, bytes, 2, bytes.length - 4);
  }

  @Test
  public void canonicalEvent_isRead() {
    TunedNativeFlinkRollup.Event e =
        parse(
            "{\"id\":\"e-1\",\"key\":\"key-3\",\"ts\":\"2026-01-01T00:00:03.250Z\","
                + "\"value\":70.24,\"extra\":{\"a\":[1,2]}}");

    assertNotNull(e);
    assertEquals("e-1", e.id);
    assertEquals("key-3", e.key);
    assertEquals(OffsetDateTime.parse("2026-01-01T00:00:03.250Z").toInstant().toEpochMilli(), e.ts);
    assertEquals(70.24, e.value, 0);
  }

  @Test
  public void integralTimestamp_andOffset_areRead() {
    assertEquals(1234L, parse("{\"id\":\"a\",\"key\":\"k\",\"ts\":1234,\"value\":1}").ts);
    assertEquals(
        OffsetDateTime.parse("2026-01-01T05:30:00+05:30").toInstant().toEpochMilli(),
        parse("{\"id\":\"a\",\"key\":\"k\",\"ts\":\"2026-01-01T05:30:00+05:30\",\"value\":1}").ts);
  }

  @Test
  public void invalidEvents_areDropped() {
    for (String line :
        new String[] {
          "",
          "   ",
          "{\"id\":\"a\",\"key\":\"k\",\"ts\":1,\"value\":1",
          "[\"a\",\"k\",1,1]",
          "{\"id\":\"a\",\"key\":\"k\",\"value\":1}",
          "{\"id\":\"a\",\"key\":\"k\",\"ts\":1,\"value\":\"1\"}",
          "{\"id\":\"\",\"key\":\"k\",\"ts\":1,\"value\":1}",
          "{\"id\":\"a\",\"key\":\"\",\"ts\":1,\"value\":1}",
          "{\"id\":\"a\",\"key\":\"k\",\"ts\":1.5,\"value\":1}",
          "{\"id\":\"a\",\"key\":\"k\",\"ts\":\"2026-02-30T00:00:00.000Z\",\"value\":1}",
          "{\"id\":\"a\",\"key\":\"k\",\"ts\":\"yesterday\",\"value\":1}",
          "{\"id\":\"a\",\"key\":\"k\",\"ts\":1,\"value\":1e999}",
          "null"
        }) {
      assertNull(line, parse(line));
    }
  }

  @Test
  public void fastTimestampPath_agreesWithTheIsoParser() {
    for (String ts :
        new String[] {
          "2026-01-01T00:00:00.000Z",
          "2024-02-29T23:59:59.999Z",
          "1969-12-31T23:59:59.999Z",
          "2026-12-31T12:34:56.789Z"
        }) {
      assertEquals(ts, OffsetDateTime.parse(ts).toInstant().toEpochMilli(), Parser.epochMillis(ts));
    }
  }
}
