package dev.streamfirst.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/** How the row coders write a row's pane: its timing, index and whether it is the last. */
final class PaneTimingCoding {
  private static final PaneInfo.Timing[] TIMINGS = PaneInfo.Timing.values();

  private PaneTimingCoding() {}

  static void encode(PaneInfo.Timing timing, long index, boolean isFinal, OutputStream out)
      throws IOException {
    VarIntCoder.of().encode(timing.ordinal(), out);
    VarLongCoder.of().encode(index, out);
    BooleanCoder.of().encode(isFinal, out);
  }

  static PaneInfo.Timing decodeTiming(InputStream in) throws IOException {
    int timing = VarIntCoder.of().decode(in);
    if (timing < 0 || timing >= TIMINGS.length) {
      throw new CoderException("unknown pane timing " + timing);
    }
    return TIMINGS[timing];
  }

  static long decodeIndex(InputStream in) throws IOException {
    return VarLongCoder.of().decode(in);
  }

  static boolean decodeFinal(InputStream in) throws IOException {
    return BooleanCoder.of().decode(in);
  }
}
