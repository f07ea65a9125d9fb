package dev.streamfirst.transforms.windowing;

import com.google.auto.value.AutoValue;
import dev.streamfirst.transforms.time.Durations;
import java.io.Serializable;
import java.util.Locale;
import org.apache.beam.sdk.transforms.windowing.AfterFirst;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Trigger.OnceTrigger;
import org.joda.time.Duration;

/**
 * When a window emits its results: always once when the watermark passes its end (the on-time
 * pane), optionally earlier (early panes, every so much processing time and/or every so many
 * elements), and again for late data within the allowed lateness (late panes). Panes either
 * accumulate (each one holds everything so far: a consumer upserts) or discard (each one holds only
 * what arrived since the previous pane: a consumer adds them up).
 *
 * <pre>{@code
 * TriggerPolicy policy = TriggerPolicy.onTimeOnly()
 *     .withEarlyFiringsEvery(Duration.standardSeconds(10))
 *     .withEarlyFiringsEveryCount(100)
 *     .discarding();
 * events.apply(EventWindows.of(WindowSpec.parse("fixed:1m")).withTrigger(policy));
 * }</pre>
 */
@AutoValue
public abstract class TriggerPolicy implements Serializable {

  /** Whether each pane holds everything so far, or only what is new since the previous pane. */
  public enum Panes {
    ACCUMULATING,
    DISCARDING
  }

  /** Processing time between early panes; zero for none. */
  public abstract Duration earlyEvery();

  /** Elements between early panes; zero for none. */
  public abstract int earlyEveryCount();

  /** Processing time that late panes wait to gather more late data; zero: one pane per element. */
  public abstract Duration lateEvery();

  public abstract Panes panes();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setEarlyEvery(Duration every);

    abstract Builder setEarlyEveryCount(int count);

    abstract Builder setLateEvery(Duration every);

    abstract Builder setPanes(Panes panes);

    abstract TriggerPolicy build();
  }

  /**
   * One on-time pane per window, a late pane for every late element within the allowed lateness,
   * accumulating. Rollup's default.
   */
  public static TriggerPolicy onTimeOnly() {
    return new AutoValue_TriggerPolicy.Builder()
        .setEarlyEvery(Duration.ZERO)
        .setEarlyEveryCount(0)
        .setLateEvery(Duration.ZERO)
        .setPanes(Panes.ACCUMULATING)
        .build();
  }

  /** Also fires early panes this much processing time after the first element of a pane. */
  public TriggerPolicy withEarlyFiringsEvery(Duration every) {
    if (every == null || every.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "withEarlyFiringsEvery() must be positive, e.g. 10s, got " + format(every));
    }
    return toBuilder().setEarlyEvery(every).build();
  }

  /**
   * Also fires an early pane every {@code count} elements (with {@link #withEarlyFiringsEvery},
   * whichever comes first).
   */
  public TriggerPolicy withEarlyFiringsEveryCount(int count) {
    if (count < 1) {
      throw new IllegalArgumentException(
          "withEarlyFiringsEveryCount() must be at least 1, e.g. 100, got " + count);
    }
    return toBuilder().setEarlyEveryCount(count).build();
  }

  /**
   * Gathers late data for this much processing time before emitting a late pane, instead of one
   * pane per late element.
   */
  public TriggerPolicy withLateFiringsEvery(Duration every) {
    if (every == null || every.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "withLateFiringsEvery() must be positive, e.g. 30s, got " + format(every));
    }
    return toBuilder().setLateEvery(every).build();
  }

  /** Each pane holds everything so far; later rows replace earlier ones (the default). */
  public TriggerPolicy accumulating() {
    return toBuilder().setPanes(Panes.ACCUMULATING).build();
  }

  /** Each pane holds only what arrived since the previous pane of its window. */
  public TriggerPolicy discarding() {
    return toBuilder().setPanes(Panes.DISCARDING).build();
  }

  public boolean hasEarlyFirings() {
    return earlyEvery().getMillis() > 0 || earlyEveryCount() > 0;
  }

  /** The Beam trigger for this policy. */
  public Trigger toTrigger() {
    AfterWatermark.AfterWatermarkEarlyAndLate trigger =
        AfterWatermark.pastEndOfWindow().withLateFirings(lateTrigger());
    OnceTrigger early = earlyTrigger();
    return early == null ? trigger : trigger.withEarlyFirings(early);
  }

  private OnceTrigger earlyTrigger() {
    OnceTrigger byTime =
        earlyEvery().getMillis() > 0
            ? AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyEvery())
            : null;
    OnceTrigger byCount =
        earlyEveryCount() > 0 ? AfterPane.elementCountAtLeast(earlyEveryCount()) : null;
    if (byTime != null && byCount != null) {
      return AfterFirst.of(byTime, byCount);
    }
    return byTime != null ? byTime : byCount;
  }

  private OnceTrigger lateTrigger() {
    return lateEvery().getMillis() > 0
        ? AfterProcessingTime.pastFirstElementInPane().plusDelayOf(lateEvery())
        : AfterPane.elementCountAtLeast(1);
  }

  /**
   * The policy in words, e.g. {@code early every 10s or 100 elements, late per element,
   * accumulating}.
   */
  @Override
  public final String toString() {
    StringBuilder text = new StringBuilder();
    if (hasEarlyFirings()) {
      text.append("early every ");
      if (earlyEvery().getMillis() > 0) {
        text.append(Durations.format(earlyEvery()));
      }
      if (earlyEveryCount() > 0) {
        text.append(earlyEvery().getMillis() > 0 ? " or " : "")
            .append(earlyEveryCount())
            .append(" elements");
      }
      text.append(", ");
    } else {
      text.append("on time, ");
    }
    text.append(
        lateEvery().getMillis() > 0
            ? "late every " + Durations.format(lateEvery())
            : "late per element");
    return text.append(", ").append(panes().name().toLowerCase(Locale.ROOT)).toString();
  }

  private static String format(Duration d) {
    return d == null ? "null" : Durations.format(d);
  }
}
