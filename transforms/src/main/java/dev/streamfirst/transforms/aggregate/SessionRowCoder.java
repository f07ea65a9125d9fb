package dev.streamfirst.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.joda.time.Instant;

/** A compact, deterministic coder for {@link SessionRow}, as {@link StatsRowCoder} is for stats. */
public final class SessionRowCoder extends AtomicCoder<SessionRow> {
  private static final SessionRowCoder INSTANCE = new SessionRowCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final InstantCoder INSTANT = InstantCoder.of();

  public static SessionRowCoder of() {
    return INSTANCE;
  }

  private SessionRowCoder() {}

  @Override
  public void encode(SessionRow row, OutputStream out) throws IOException {
    STRING.encode(row.key(), out);
    INSTANT.encode(row.windowStart(), out);
    INSTANT.encode(row.windowEnd(), out);
    VarLongCoder.of().encode(row.events(), out);
    INSTANT.encode(row.firstEvent(), out);
    INSTANT.encode(row.lastEvent(), out);
    PaneTimingCoding.encode(row.paneTiming(), row.paneIndex(), row.isFinal(), out);
  }

  @Override
  public SessionRow decode(InputStream in) throws IOException {
    String key = STRING.decode(in);
    Instant start = INSTANT.decode(in);
    Instant end = INSTANT.decode(in);
    long events = VarLongCoder.of().decode(in);
    Instant first = INSTANT.decode(in);
    Instant last = INSTANT.decode(in);
    return SessionRow.of(
        key,
        start,
        end,
        events,
        first,
        last,
        PaneTimingCoding.decodeTiming(in),
        PaneTimingCoding.decodeIndex(in),
        PaneTimingCoding.decodeFinal(in));
  }

  @Override
  public void verifyDeterministic() {}
}
