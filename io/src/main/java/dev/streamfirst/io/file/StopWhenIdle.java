package dev.streamfirst.io.file;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.transforms.Watch;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Ends a watch once no new file has appeared for a while, counted from the start of the watch or
 * from the last new file. Beam's {@code afterTimeSinceNewOutput} only starts counting at the first
 * new file, so a watch of a folder where nothing ever appears would run forever.
 */
final class StopWhenIdle<InputT> implements Watch.Growth.TerminationCondition<InputT, Instant> {
  private final Duration idle;

  StopWhenIdle(Duration idle) {
    this.idle = idle;
  }

  @Override
  public Coder<Instant> getStateCoder() {
    return InstantCoder.of();
  }

  @Override
  public Instant forNewInput(Instant now, @Nullable InputT input) {
    return now;
  }

  @Override
  public Instant onSeenNewOutput(Instant now, Instant lastNew) {
    return now;
  }

  @Override
  public boolean canStopPolling(Instant now, Instant lastNew) {
    return !now.isBefore(lastNew.plus(idle));
  }

  @Override
  public String toString(Instant lastNew) {
    return "StopWhenIdle{idle=" + idle + ", lastNew=" + lastNew + "}";
  }
}
