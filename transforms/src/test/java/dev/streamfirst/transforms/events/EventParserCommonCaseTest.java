package dev.streamfirst.transforms.events;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The token-by-token common case of {@link EventParser} must accept exactly the events the tree
 * path accepts, with the same fields, and leave everything else to it.
 */
@RunWith(JUnit4.class)
public class EventParserCommonCaseTest {
  private final EventParser parser = new EventParser(EventFields.defaults());

  @Test
  public void ordinaryEvents_takeTheCommonCase_andEqualTheTreeResult() throws Exception {
    for (String payload :
        Arrays.asList(
            "{\"id\":\"e-1\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:03.250Z\",\"value\":70.24}",
            "{\"value\":-0.0,\"ts\":1795600803250,\"key\":\"ключ\",\"id\":\"a\\\"b\",\"x\":[1,{}]}",
            "  {\"id\":\"e\",\"key\":\"k\",\"ts\":\"2026-11-25T10:00:03+05:30\",\"value\":12}  ",
            "{\"id\":\"e\",\"key\":\"k\",\"ts\":0,\"value\":123456789012345678901234567890}",
            "{\"id\":\"e\",\"key\":\"k\",\"ts\":0,\"value\":1e308,\"nested\":{\"id\":5}}")) {
      Event fast = parser.parseCommonCase(payload);
      assertNotNull(payload, fast);
      assertEquals(payload, parser.parseWithTree(payload), fast);
    }
  }

  @Test
  public void anythingUnusual_isLeftToTheTreePath() {
    for (String payload :
        Arrays.asList(
            "{\"id\":\"e\",\"key\":\"k\",\"ts\":0,\"value\":1,\"extra\":1,\"extra\":2}",
            "{\"id\":\"e\",\"key\":\"k\",\"ts\":0,\"value\":1,\"n\":{\"a\":1,\"a\":2}}",
            "{\"id\":\"e\",\"key\":\"k\",\"ts\":0,\"value\":1} {}",
            "{\"id\":\"e\",\"key\":\"k\",\"ts\":0,\"value\":1} x",
            "{\"id\":\"\",\"key\":\"k\",\"ts\":0,\"value\":1}",
            "{\"id\":\"e\",\"key\":\"k\",\"ts\":0.5,\"value\":1}",
            "{\"id\":\"e\",\"key\":\"k\",\"ts\":99999999999999999999,\"value\":1}",
            "{\"id\":\"e\",\"key\":\"k\",\"ts\":\"yesterday\",\"value\":1}",
            "{\"id\":\"e\",\"key\":\"k\",\"ts\":0,\"value\":1e400}",
            "{\"id\":\"e\",\"key\":\"k\",\"ts\":0,\"value\":\"1\"}",
            "{\"id\":\"e\",\"key\":\"k\",\"ts\":0}",
            "[1]",
            "")) {
      assertNull(payload, parser.parseCommonCase(payload));
    }
  }

  @Test
  public void onRandomAndMangledPayloads_bothPathsGiveTheSameOutcome() {
    Random random = new Random(20261127L);
    int common = 0;
    int trials = 20_000;
    for (int i = 0; i < trials; i++) {
      String payload = randomPayload(random);
      if (random.nextInt(3) == 0) {
        payload = mangle(payload, random);
      }
      Event fast = parser.parseCommonCase(payload);
      String tree;
      try {
        tree = parser.parseWithTree(payload).toString();
      } catch (InvalidEventException e) {
        tree = "dead letter: " + e.getMessage();
      }
      if (fast != null) {
        common++;
        assertEquals(payload, tree, fast.toString());
      } else {
        // Every valid event takes the common case; only dead letters are left to the tree.
        assertTrue(payload + " -> " + tree, tree.startsWith("dead letter: "));
      }
    }
    // The comparison means something only if many payloads were valid events.
    assertTrue("valid events: " + common, common > 500);
  }

  private static String randomPayload(Random random) {
    List<String> fields = new ArrayList<>();
    fields.add("\"id\":" + pick(random, "\"e-1\"", "\"x\\u00e9\"", "\"\"", "7", "null"));
    fields.add("\"key\":" + pick(random, "\"k\"", "\"a,b\"", "\"🌡\"", "\"\"", "[\"k\"]"));
    fields.add(
        "\"ts\":"
            + pick(
                random,
                "\"2026-11-25T10:00:03.250Z\"",
                "\"2026-11-25T10:00:03Z\"",
                "\"2026-11-25T10:00:03.250+01:00\"",
                "\"2026-02-30T10:00:03Z\"",
                "1795600803250",
                "-5",
                "1.5",
                "12345678901234567890123",
                "\"1795600803250\""));
    fields.add(
        "\"value\":"
            + pick(
                random,
                "70.24",
                "-0.0",
                "12",
                "1e3",
                "1E-320",
                "9223372036854775807",
                "123456789012345678901234567890",
                "1e999",
                "\"5\"",
                "true",
                "{}"));
    if (random.nextBoolean()) {
      fields.add(
          pick(random, "\"extra\":{\"id\":1}", "\"x\":[1,2,{\"a\":null}]", "\"note\":\"hi\""));
    }
    if (random.nextInt(10) == 0) {
      fields.add(fields.get(random.nextInt(fields.size())));
    }
    if (random.nextInt(5) == 0) {
      fields.remove(random.nextInt(fields.size()));
    }
    java.util.Collections.shuffle(fields, random);
    String body = "{" + String.join(random.nextBoolean() ? "," : " , ", fields) + "}";
    return random.nextInt(20) == 0 ? body + pick(random, " ", "{}", "x", "\n") : body;
  }

  private static String mangle(String payload, Random random) {
    StringBuilder b = new StringBuilder(payload);
    int at = random.nextInt(b.length() + 1);
    switch (random.nextInt(3)) {
      case 0:
        if (at < b.length()) {
          b.deleteCharAt(at);
        }
        break;
      case 1:
        b.insert(at, "{}[]\",:0e.-\\ ".charAt(random.nextInt(13)));
        break;
      default:
        if (at < b.length()) {
          b.setCharAt(at, "{}[]\",:0e.-\\ ".charAt(random.nextInt(13)));
        }
    }
    return b.toString();
  }

  private static String pick(Random random, String... options) {
    return options[random.nextInt(options.length)];
  }
}
