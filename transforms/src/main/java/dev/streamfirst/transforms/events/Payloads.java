package dev.streamfirst.transforms.events;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How a source hands a message's bytes to the parse step as text without ever losing a byte.
 *
 * <p>Sources emit {@code PCollection<String>}. A message that is valid UTF-8 is emitted as its text
 * (which is exactly its bytes, decoded). A message that is not valid UTF-8 — latin-1, UTF-16, a
 * truncated multi-byte sequence — must not be decoded leniently, which would replace the bad bytes
 * by U+FFFD and may even produce a valid event with a wrong key. {@link #fromBytes} instead emits
 * it as {@link #UNDECODED_PREFIX} followed by the base64 of its bytes; {@link ParseEvents}
 * recognises that form and writes a dead letter holding the exact bytes (as base64, flagged). A
 * valid text that happens to start with the prefix is emitted in that form as well, so the form is
 * never ambiguous.
 *
 * <pre>{@code
 * String text = Payloads.fromBytes(record.value());   // in a source
 * byte[] raw = Payloads.undecodedBytes(text);          // non-null: not valid UTF-8 (or escaped)
 * }</pre>
 */
public final class Payloads {
  /**
   * Starts the text form of a message that is not valid UTF-8. It begins with two NUL characters,
   * which no valid event can start with (JSON allows no NUL outside strings), so the form never
   * passes as an event.
   */
  public static final String UNDECODED_PREFIX = "\u0000\u0000streamfirst-undecoded-base64:";

  private static final char REPLACEMENT = '\uFFFD';

  private Payloads() {}

  /** The message's text if it is valid UTF-8, else its undecoded form (see the class comment). */
  public static String fromBytes(byte[] bytes) {
    String text = strictUtf8(bytes);
    if (text != null && !text.startsWith(UNDECODED_PREFIX)) {
      return text;
    }
    return UNDECODED_PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  /** The bytes carried by an undecoded form, or null if {@code payload} is plain text. */
  public static byte @Nullable [] undecodedBytes(String payload) {
    if (!payload.startsWith(UNDECODED_PREFIX)) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(payload.substring(UNDECODED_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      // Not produced by fromBytes: treat the whole text as an ordinary (invalid) payload.
      return null;
    }
  }

  /** The text of {@code bytes} if they are valid UTF-8, else null. Never replaces anything. */
  public static @Nullable String strictUtf8(byte[] bytes) {
    // Every message passes here: the JDK's own decoding is the fast path. It replaces each
    // malformed sequence by U+FFFD, so text without one was valid; only text with one (a bad
    // message, or a rare real U+FFFD) is decoded again, strictly.
    String lenient = new String(bytes, StandardCharsets.UTF_8);
    if (lenient.indexOf(REPLACEMENT) < 0) {
      return lenient;
    }
    try {
      return newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Why {@code bytes} are not valid UTF-8, in words, naming the first bad byte and its offset; null
   * if they are valid.
   */
  public static @Nullable String utf8Problem(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length));
    CoderResult result = newDecoder().decode(in, out, true);
    if (!result.isError()) {
      return null;
    }
    int at = in.position();
    StringBuilder reason = new StringBuilder("payload is not valid UTF-8: ");
    reason.append(result.isMalformed() ? "malformed" : "unmappable");
    reason.append(" byte sequence");
    for (int i = 0; i < result.length() && at + i < bytes.length; i++) {
      reason.append(String.format(" 0x%02X", bytes[at + i] & 0xFF));
    }
    reason.append(" at byte offset ").append(at);
    if (bytes.length >= 2
        && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
            || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
      reason.append(" (it starts with a UTF-16 byte order mark; send UTF-8)");
    }
    return reason.append("; the payload is kept as base64").toString();
  }

  private static CharsetDecoder newDecoder() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }
}
