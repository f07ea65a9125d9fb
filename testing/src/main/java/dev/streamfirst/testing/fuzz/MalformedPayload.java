package dev.streamfirst.testing.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A fuzz corpus of malformed messages, one constant per class of damage, each generating its bytes
 * deterministically: the same class, id and time always give the same bytes. Mix them into a test
 * stream to check that a pipeline dead-letters every one with its exact bytes and that valid events
 * are unaffected.
 *
 * <p>Each class states the outcome the canonical event parser gives it ({@link #outcome()}): most
 * are dead letters; a few are decided otherwise, each for a stated reason (a UTF-8 byte order mark
 * is accepted, a number too small for a double is read as 0, an empty or blank message is skipped
 * as blank lines are).
 *
 * <pre>{@code
 * for (MalformedPayload.Sample s : MalformedPayload.corpus(2, Instant.parse("2026-11-25T10:00:00Z"))) {
 *   producer.send(new ProducerRecord<>(topic, s.bytes()));   // s.name(): "invalid_utf8_latin1-0"
 * }
 * }</pre>
 */
public enum MalformedPayload {
  /** Latin-1 text: "café" as the single byte 0xE9. Not UTF-8; kept as base64. */
  INVALID_UTF8_LATIN1(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return event(id, "caf\u00e9", ts, "1").getBytes(StandardCharsets.ISO_8859_1);
    }
  },
  /** A two-byte sequence cut after its first byte, in the middle of the key. */
  INVALID_UTF8_TRUNCATED_SEQUENCE(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return splice(event(id, "k@", ts, "1"), '@', new byte[] {(byte) 0xC3});
    }
  },
  /** An overlong encoding of '/' (0xC0 0xAF), a classic way to sneak characters past filters. */
  INVALID_UTF8_OVERLONG(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return splice(event(id, "k@", ts, "1"), '@', new byte[] {(byte) 0xC0, (byte) 0xAF});
    }
  },
  /** A surrogate encoded as three bytes (CESU-8 / "modified UTF-8"), which UTF-8 forbids. */
  INVALID_UTF8_ENCODED_SURROGATE(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return splice(
          event(id, "k@", ts, "1"), '@', new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
    }
  },
  /** Random bytes with the high bit set: binary, not text. */
  BINARY_GARBAGE(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      byte[] bytes = new byte[64];
      long x = id.hashCode() * 2654435761L + 1;
      for (int i = 0; i < bytes.length; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
        bytes[i] = (byte) (0x80 | (x >>> 33));
      }
      return bytes;
    }
  },
  /** A valid event written as UTF-16 little-endian with its byte order mark (0xFF 0xFE). */
  UTF16_LE_WITH_BOM(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return concat(
          new byte[] {(byte) 0xFF, (byte) 0xFE},
          event(id, "k", ts, "1").getBytes(StandardCharsets.UTF_16LE));
    }
  },
  /** A valid event written as UTF-16 big-endian with its byte order mark (0xFE 0xFF). */
  UTF16_BE_WITH_BOM(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return event(id, "k", ts, "1").getBytes(StandardCharsets.UTF_16); // Java writes FE FF
    }
  },
  /**
   * A valid ASCII event written as UTF-16 little-endian without a byte order mark: valid UTF-8 (NUL
   * bytes between the characters), so kept as text, but not JSON.
   */
  UTF16_LE_WITHOUT_BOM(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return event(id, "k", ts, "1").getBytes(StandardCharsets.UTF_16LE);
    }
  },
  /**
   * A valid event after a UTF-8 byte order mark (0xEF 0xBB 0xBF). Accepted: RFC 8259 lets parsers
   * ignore it and Windows tools write it; the event's payload keeps it.
   */
  UTF8_BOM(Outcome.ACCEPTED) {
    @Override
    byte[] generate(String id, String ts) {
      return concat(
          new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(event(id, "bom", ts, "2.5")));
    }
  },
  /** A NUL byte between two fields. */
  NUL_BYTE(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8("{\"id\":\"" + id + "\",\u0000\"key\":\"k\",\"ts\":\"" + ts + "\",\"value\":1}");
    }
  },
  /** A raw control character (0x01) inside the key; JSON requires it escaped. */
  CONTROL_CHARACTER(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(event(id, "a\u0001b", ts, "1"));
    }
  },
  /**
   * An escaped lone surrogate in the key ({@code "\ud800"}): valid JSON text, but a string no UTF-8
   * can hold; every coder would turn it into '?', silently changing the key.
   */
  LONE_SURROGATE_ESCAPE(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(
          "{\"id\":\"" + id + "\",\"key\":\"k\\ud800x\",\"ts\":\"" + ts + "\",\"value\":1}");
    }
  },
  /**
   * One line of at least 10 MiB: valid events written back to back without separators (a producer
   * that lost its newlines). The first object alone is a valid event; the line is not.
   */
  LINE_10_MB(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(TEN_MIB + 4096);
      for (int i = 0; out.size() < TEN_MIB; i++) {
        out.writeBytes(utf8(event(id + "-" + i, "k", ts, Integer.toString(i % 100))));
      }
      return out.toByteArray();
    }
  },
  /** A valid event with one more field nested 10,000 arrays deep. */
  DEEP_NESTING_10000(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      String prefix =
          "{\"id\":\"" + id + "\",\"key\":\"k\",\"ts\":\"" + ts + "\",\"value\":1,\"d\":";
      return utf8(prefix + "[".repeat(10_000) + "]".repeat(10_000) + "}");
    }
  },
  /** A value beyond the range of a double (1e400): it would read as Infinity. */
  HUGE_NUMBER(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(event(id, "k", ts, "1e400"));
    }
  },
  /** A value written with 5,000 digits. */
  LONG_NUMBER(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(event(id, "k", ts, "9".repeat(5_000)));
    }
  },
  /** Epoch milliseconds beyond a 64-bit integer. */
  HUGE_EPOCH_MILLIS(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8("{\"id\":\"" + id + "\",\"key\":\"k\",\"ts\":99999999999999999999,\"value\":1}");
    }
  },
  /**
   * A value too small for a double (1e-400). Accepted as 0.0: every JSON number is rounded to the
   * nearest double, and this is that rounding, not damage.
   */
  TINY_NUMBER(Outcome.ACCEPTED) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(event(id, "tiny", ts, "1e-400"));
    }
  },
  /** {@code NaN} as a bare token (not JSON; some JavaScript and Python writers emit it). */
  NAN_TOKEN(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(event(id, "k", ts, "NaN"));
    }
  },
  /** {@code -Infinity} as a bare token. */
  INFINITY_TOKEN(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(event(id, "k", ts, "-Infinity"));
    }
  },
  /** {@code "NaN"} as a string. */
  NAN_STRING(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(event(id, "k", ts, "\"NaN\""));
    }
  },
  /** The key twice with different values: neither may win silently. */
  DUPLICATE_FIELD(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(
          "{\"id\":\"" + id + "\",\"key\":\"a\",\"ts\":\"" + ts + "\",\"value\":1,\"key\":\"b\"}");
    }
  },
  /** A time in the year 300,000, beyond what event time can hold. */
  TIME_OUT_OF_RANGE(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(event(id, "k", "+300000-01-01T00:00:00Z", "1"));
    }
  },
  /** A date that does not exist (February 30th). */
  TIME_IMPOSSIBLE_DATE(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(event(id, "k", "2026-02-30T10:00:00Z", "1"));
    }
  },
  /** A local time without an offset: which instant it means is unknown. */
  TIME_WITHOUT_OFFSET(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(event(id, "k", ts.substring(0, 19), "1"));
    }
  },
  /** The value as a string of digits. */
  NUMBER_AS_STRING(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(event(id, "k", ts, "\"21.5\""));
    }
  },
  /** Epoch milliseconds as a string of digits. */
  EPOCH_MILLIS_AS_STRING(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      String millis = Long.toString(Instant.parse(ts).toEpochMilli());
      return utf8("{\"id\":\"" + id + "\",\"key\":\"k\",\"ts\":\"" + millis + "\",\"value\":1}");
    }
  },
  /** A valid event wrapped in an array (a batch where one event was expected). */
  TOP_LEVEL_ARRAY(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8("[" + event(id, "k", ts, "1") + "]");
    }
  },
  /** The key as an array. */
  FIELD_AS_ARRAY(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8("{\"id\":\"" + id + "\",\"key\":[\"k\"],\"ts\":\"" + ts + "\",\"value\":1}");
    }
  },
  /** An empty message. Skipped, as blank lines are: there is nothing in it to keep. */
  EMPTY(Outcome.SKIPPED) {
    @Override
    byte[] generate(String id, String ts) {
      return new byte[0];
    }
  },
  /** Only whitespace. Skipped, as blank lines are. */
  WHITESPACE_ONLY(Outcome.SKIPPED) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(" \t \r\n  ");
    }
  },
  /** A valid event cut off in the middle. */
  TRUNCATED_JSON(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      String event = event(id, "k", ts, "1");
      return utf8(event.substring(0, event.length() / 2));
    }
  },
  /** A valid event followed by more text. */
  TRAILING_GARBAGE(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(event(id, "k", ts, "1") + " ok");
    }
  },
  /** Not JSON at all: a CSV line. */
  NOT_JSON(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(id + ",k," + ts + ",1");
    }
  },
  /** JavaScript rather than JSON: single quotes, a comment and a trailing comma. */
  NON_STANDARD_JSON(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8("{'id':'" + id + "', /* note */ 'key':'k','ts':'" + ts + "','value':1,}");
    }
  },
  /**
   * Fields of the wrong type: the id a number (derived from the intended id), the value a boolean.
   */
  WRONG_TYPES(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(
          "{\"id\":"
              + (id.hashCode() & 0x7fffffff)
              + ",\"key\":\"k\",\"ts\":\""
              + ts
              + "\",\"value\":true}");
    }
  },
  /** The value is missing. */
  MISSING_REQUIRED_FIELD(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8("{\"id\":\"" + id + "\",\"key\":\"k\",\"ts\":\"" + ts + "\"}");
    }
  },
  /** The key is null. */
  NULL_FIELD(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8("{\"id\":\"" + id + "\",\"key\":null,\"ts\":\"" + ts + "\",\"value\":1}");
    }
  },
  /** The id is an empty string (the intended id is kept in another field). */
  EMPTY_ID(Outcome.DEAD_LETTER) {
    @Override
    byte[] generate(String id, String ts) {
      return utf8(
          "{\"id\":\"\",\"key\":\"k\",\"ts\":\"" + ts + "\",\"value\":1,\"src\":\"" + id + "\"}");
    }
  };

  /** What the canonical event parser does with a class. */
  public enum Outcome {
    /** A dead letter with the exact bytes and a reason. */
    DEAD_LETTER,
    /** A valid event. */
    ACCEPTED,
    /** Dropped without a trace, as blank lines are. */
    SKIPPED
  }

  /**
   * One generated message.
   *
   * @param kind its class
   * @param index which copy of the class (0, 1, ...)
   * @param id the id written into it where it has one
   * @param bytes the message
   */
  public record Sample(MalformedPayload kind, int index, String id, byte[] bytes)
      implements java.io.Serializable {
    /** {@code <class>-<index>} in lower case, e.g. {@code invalid_utf8_latin1-0}. */
    public String name() {
      return kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + index;
    }
  }

  private static final int TEN_MIB = 10 * 1024 * 1024;

  private final Outcome outcome;

  MalformedPayload(Outcome outcome) {
    this.outcome = outcome;
  }

  /** The outcome the canonical event parser gives this class. */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * The message of this class with id {@code id} and event time {@code time} where it has them. The
   * same arguments always give the same bytes.
   */
  public byte[] bytes(String id, Instant time) {
    return generate(id, time.toString());
  }

  abstract byte[] generate(String id, String ts);

  /**
   * {@code copies} messages of every class (ids {@code fuzz-<class>-<index>}), in class order, all
   * with event time {@code time}.
   */
  public static List<Sample> corpus(int copies, Instant time) {
    List<Sample> samples = new ArrayList<>();
    for (MalformedPayload kind : values()) {
      for (int i = 0; i < copies; i++) {
        String id = "fuzz-" + kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + i;
        samples.add(new Sample(kind, i, id, kind.bytes(id, time)));
      }
    }
    return samples;
  }

  private static String event(String id, String key, String ts, String rawValue) {
    return "{\"id\":\""
        + id
        + "\",\"key\":\""
        + key
        + "\",\"ts\":\""
        + ts
        + "\",\"value\":"
        + rawValue
        + "}";
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code text} as UTF-8 with the first {@code marker} replaced by {@code bytes}. */
  private static byte[] splice(String text, char marker, byte[] bytes) {
    int at = text.indexOf(marker);
    return concat(concat(utf8(text.substring(0, at)), bytes), utf8(text.substring(at + 1)));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
