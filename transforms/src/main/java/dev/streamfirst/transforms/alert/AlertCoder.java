package dev.streamfirst.transforms.alert;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** A compact, deterministic coder for {@link Alert}: key, rule, status, time and detail. */
public final class AlertCoder extends AtomicCoder<Alert> {
  private static final AlertCoder INSTANCE = new AlertCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final Alert.Status[] STATUSES = Alert.Status.values();

  public static AlertCoder of() {
    return INSTANCE;
  }

  private AlertCoder() {}

  @Override
  public void encode(Alert alert, OutputStream out) throws IOException {
    STRING.encode(alert.key(), out);
    STRING.encode(alert.rule(), out);
    VarIntCoder.of().encode(alert.status().ordinal(), out);
    InstantCoder.of().encode(alert.at(), out);
    STRING.encode(alert.detail(), out);
  }

  @Override
  public Alert decode(InputStream in) throws IOException {
    String key = STRING.decode(in);
    String rule = STRING.decode(in);
    int status = VarIntCoder.of().decode(in);
    if (status < 0 || status >= STATUSES.length) {
      throw new CoderException("unknown alert status " + status);
    }
    return Alert.of(key, rule, STATUSES[status], InstantCoder.of().decode(in), STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
