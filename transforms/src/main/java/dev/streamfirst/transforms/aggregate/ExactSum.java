package dev.streamfirst.transforms.aggregate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.ByteCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * The exact sum of any number of finite doubles, and its value rounded once to the nearest double.
 * The sum does not depend on the order of additions or merges, so every runner, whatever order it
 * combines partial results in, gives bit-identical sums and means.
 *
 * <p>Held as a short list of non-overlapping doubles whose exact sum is the total (Shewchuk's
 * expansions, as in Python's {@code math.fsum}): adding a value costs a few floating-point
 * operations, typically with one or two partials. {@link BigDecimal} would be just as exact but
 * allocates on every addition and formats the number as text to round it, which made it the largest
 * single cost of aggregation. Only a sum that passes the double range on the way falls back to an
 * integer count of 2<sup>-1074</sup> units, the smallest step between doubles.
 */
final class ExactSum {
  /** The exponent of the smallest double, {@link Double#MIN_VALUE} = 2^-1074. */
  private static final int MIN_EXPONENT = -1074;

  private static final byte PARTIALS = 0;
  private static final byte UNITS = 1;

  private double[] partials = new double[4];
  private int size;

  /** Not null once the sum has left the double range: then it alone holds the sum, in units. */
  private BigInteger units;

  /** Adds one value. */
  void add(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("cannot sum a value that is not finite: " + value);
    }
    if (units != null) {
      units = units.add(toUnits(value));
      return;
    }
    double x = value;
    int kept = 0;
    for (int i = 0; i < size; i++) {
      double y = partials[i];
      if (Math.abs(x) < Math.abs(y)) {
        double t = x;
        x = y;
        y = t;
      }
      double hi = x + y;
      if (Double.isInfinite(hi)) {
        // Two finite doubles whose sum leaves the range: finish this addition exactly, in units.
        // The first i partials have already been replaced by the kept low parts, so the total is
        // x + y + those kept parts + the partials not reached yet, not the original list.
        BigInteger rest = toUnits(x).add(toUnits(y));
        for (int j = 0; j < kept; j++) {
          rest = rest.add(toUnits(partials[j]));
        }
        for (int j = i + 1; j < size; j++) {
          rest = rest.add(toUnits(partials[j]));
        }
        units = rest;
        size = 0;
        return;
      }
      double lo = y - (hi - x);
      if (lo != 0.0) {
        partials[kept++] = lo;
      }
      x = hi;
    }
    if (kept == partials.length) {
      partials = Arrays.copyOf(partials, kept * 2);
    }
    partials[kept++] = x;
    size = kept;
  }

  /** Adds another sum to this one; the other is left unchanged. */
  void add(ExactSum other) {
    if (other == this) {
      add(copy(other));
      return;
    }
    if (units == null && other.units == null) {
      for (int i = 0; i < other.size; i++) {
        add(other.partials[i]);
        if (units != null) {
          for (int j = i + 1; j < other.size; j++) {
            units = units.add(toUnits(other.partials[j]));
          }
          return;
        }
      }
      return;
    }
    units = inUnits().add(other.inUnits());
    size = 0;
  }

  /** The exact sum rounded to the nearest double (ties to even); zero is always +0.0. */
  double rounded() {
    if (units == null && size <= 1) {
      // One partial is the exact sum itself.
      return size == 0 ? 0.0 : partials[0] + 0.0;
    }
    BigInteger n = inUnits();
    double magnitude = roundToDouble(n.abs(), MIN_EXPONENT, false);
    return n.signum() < 0 ? -magnitude : magnitude;
  }

  /** The exact sum divided by {@code count}, rounded once to the nearest double (ties to even). */
  double dividedBy(long count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    if (units == null && size <= 1 && count <= (1L << 53)) {
      // IEEE division of two exact doubles is itself the exact quotient, rounded once.
      return size == 0 ? 0.0 : partials[0] / count + 0.0;
    }
    BigInteger n = inUnits();
    if (n.signum() == 0) {
      return 0.0;
    }
    BigInteger magnitude = n.abs();
    // Enough extra bits that the quotient has a round bit and a sticky bit below its 53 bits.
    int countBits = 64 - Long.numberOfLeadingZeros(count);
    int shift = Math.max(2, 56 + countBits - magnitude.bitLength());
    BigInteger[] qr = magnitude.shiftLeft(shift).divideAndRemainder(BigInteger.valueOf(count));
    double mean = roundToDouble(qr[0], MIN_EXPONENT - shift, qr[1].signum() != 0);
    // A mean too small for any double is +0.0 whatever its sign, as on the one-partial path.
    return (n.signum() < 0 ? -mean : mean) + 0.0;
  }

  /** The exact sum, for checks. */
  BigDecimal toBigDecimal() {
    return new BigDecimal(inUnits()).multiply(new BigDecimal(Double.MIN_VALUE));
  }

  void encode(OutputStream out) throws IOException {
    if (units != null) {
      ByteCoder.of().encode(UNITS, out);
      ByteArrayCoder.of().encode(units.toByteArray(), out);
      return;
    }
    ByteCoder.of().encode(PARTIALS, out);
    VarIntCoder.of().encode(size, out);
    for (int i = 0; i < size; i++) {
      DoubleCoder.of().encode(partials[i], out);
    }
  }

  static ExactSum decode(InputStream in) throws IOException {
    ExactSum sum = new ExactSum();
    byte form = ByteCoder.of().decode(in);
    if (form == UNITS) {
      sum.units = new BigInteger(ByteArrayCoder.of().decode(in));
      return sum;
    }
    if (form != PARTIALS) {
      throw new CoderException("unknown exact sum encoding " + form);
    }
    int size = VarIntCoder.of().decode(in);
    sum.partials = new double[Math.max(4, size)];
    for (int i = 0; i < size; i++) {
      sum.partials[i] = DoubleCoder.of().decode(in);
    }
    sum.size = size;
    return sum;
  }

  private static ExactSum copy(ExactSum sum) {
    ExactSum copy = new ExactSum();
    copy.partials = sum.partials.clone();
    copy.size = sum.size;
    copy.units = sum.units;
    return copy;
  }

  private BigInteger inUnits() {
    if (units != null) {
      return units;
    }
    BigInteger n = BigInteger.ZERO;
    for (int i = 0; i < size; i++) {
      n = n.add(toUnits(partials[i]));
    }
    return n;
  }

  /** A finite double as an exact integer number of 2^-1074 units. */
  private static BigInteger toUnits(double value) {
    long bits = Double.doubleToRawLongBits(value);
    int biased = (int) ((bits >>> 52) & 0x7ff);
    long mantissa = bits & ((1L << 52) - 1);
    // A normal double is (2^52 + mantissa) * 2^(biased - 1075); a subnormal is mantissa * 2^-1074.
    BigInteger n =
        biased == 0
            ? BigInteger.valueOf(mantissa)
            : BigInteger.valueOf(mantissa | (1L << 52)).shiftLeft(biased - 1);
    return bits < 0 ? n.negate() : n;
  }

  /**
   * {@code q * 2^exponent} rounded to the nearest double, ties to even; {@code inexact} says that
   * nonzero bits below {@code q} were cut off already (they only matter for ties).
   */
  private static double roundToDouble(BigInteger q, int exponent, boolean inexact) {
    if (q.signum() == 0) {
      return 0.0;
    }
    int top = q.bitLength() - 1 + exponent;
    // The weight of the last bit the result can keep: 53 bits, or fewer among subnormals.
    int ulp = Math.max(top - 52, MIN_EXPONENT);
    int drop = ulp - exponent;
    long kept;
    if (drop <= 0) {
      kept = q.longValue() << -drop;
    } else {
      kept = q.shiftRight(drop).longValue();
      boolean roundBit = q.testBit(drop - 1);
      boolean below = inexact || q.getLowestSetBit() < drop - 1;
      if (roundBit && (below || (kept & 1) == 1)) {
        kept++;
      }
    }
    // kept has at most 54 bits, so it converts exactly; scaling by a power of two then is exact
    // (or overflows to infinity, which is the correct rounding of a sum past the double range).
    return Math.scalb((double) kept, ulp);
  }
}
