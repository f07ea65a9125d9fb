package org.apache.beam.runners.flink.translation.wrappers.streaming;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.DoFnSchemaInformation;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.util.WindowedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.joda.time.Instant;
import org.junit.Test;

/**
 * Drives a Beam step's Flink operator through the sequence that stalled watermarks on FlinkRunner
 * 2.62: a watermark arrives while a bundle is open, the bundle then ends by time, and the next
 * element opens a new bundle before the scheduled catch-up runs.
 */
public class WatermarkAfterBundleFactoryTest {
  private static final long BUNDLE_MILLIS = 10;

  @Test
  public void watermarkPassesWhenABundleEndsByTime() throws Exception {
    assertEquals(List.of(1_000L), watermarksAfterTheRace(true));
  }

  /** FlinkRunner's own operator, for contrast: it fails the test above (this pins why). */
  @Test
  public void upstreamOperator_holdsTheWatermarkBack() throws Exception {
    assertEquals(List.of(), watermarksAfterTheRace(false));
  }

  private static List<Long> watermarksAfterTheRace(boolean corrected) throws Exception {
    DoFnOperator<String, String> operator = identityOperator();
    StreamOperatorFactory<WindowedValue<String>> factory =
        corrected
            ? new WatermarkAfterBundleFactory<>(operator)
            : SimpleOperatorFactory.of(operator);
    try (OneInputStreamOperatorTestHarness<WindowedValue<String>, WindowedValue<String>> harness =
        new OneInputStreamOperatorTestHarness<>(factory, 1, 1, 0)) {
      harness.setup();
      MailboxLikeTimeService time = new MailboxLikeTimeService(harness.getProcessingTimeService());
      harness.getOperator().setProcessingTimeService(time);
      harness.setProcessingTime(0);
      harness.open();
      harness.processElement(element("a", 0), 0);
      harness.processWatermark(new Watermark(1_000)); // a bundle is open: held back
      harness.setProcessingTime(BUNDLE_MILLIS); // the bundle ends by time
      harness.processElement(element("b", 500), 500); // the next element is already waiting
      time.runQueued(); // only now does the catch-up scheduled at the bundle's end run
      return harness.getOutput().stream()
          .filter(Watermark.class::isInstance)
          .map(w -> ((Watermark) w).getTimestamp())
          .toList();
    }
  }

  /**
   * Flink runs a timer set for "now" as a mail after what the task already has in hand, so an input
   * element that is waiting goes first. The harness's own time service runs it at once; this one
   * queues it until {@link #runQueued}.
   */
  private static final class MailboxLikeTimeService implements ProcessingTimeService {
    private final ProcessingTimeService clock;
    private final List<ProcessingTimeCallback> queued = new ArrayList<>();

    MailboxLikeTimeService(ProcessingTimeService clock) {
      this.clock = clock;
    }

    void runQueued() throws Exception {
      List<ProcessingTimeCallback> now = new ArrayList<>(queued);
      queued.clear();
      for (ProcessingTimeCallback callback : now) {
        callback.onProcessingTime(clock.getCurrentProcessingTime());
      }
    }

    @Override
    public long getCurrentProcessingTime() {
      return clock.getCurrentProcessingTime();
    }

    @Override
    public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
      if (timestamp <= clock.getCurrentProcessingTime()) {
        queued.add(target);
        return null; // DoFnOperator ignores the future of a timer it sets for now
      }
      return clock.registerTimer(timestamp, target);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        ProcessingTimeCallback callback, long initialDelay, long period) {
      return clock.scheduleAtFixedRate(callback, initialDelay, period);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        ProcessingTimeCallback callback, long initialDelay, long period) {
      return clock.scheduleWithFixedDelay(callback, initialDelay, period);
    }

    @Override
    public CompletableFuture<Void> quiesce() {
      return clock.quiesce();
    }
  }

  private static WindowedValue<String> element(String value, long millis) {
    return WindowedValue.timestampedValueInGlobalWindow(value, new Instant(millis));
  }

  private static DoFnOperator<String, String> identityOperator() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setMaxBundleSize(1_000L);
    options.setMaxBundleTimeMills(BUNDLE_MILLIS);
    TupleTag<String> main = new TupleTag<>("main");
    Coder<WindowedValue<String>> coder =
        WindowedValue.getFullCoder(StringUtf8Coder.of(), GlobalWindow.Coder.INSTANCE);
    return new DoFnOperator<>(
        new Identity(),
        "Identity",
        coder,
        Collections.singletonMap(main, StringUtf8Coder.of()),
        main,
        Collections.emptyList(),
        new DoFnOperator.MultiOutputOutputManagerFactory<>(
            main, coder, new SerializablePipelineOptions(options)),
        WindowingStrategy.globalDefault(),
        Collections.emptyMap(),
        Collections.emptyList(),
        options,
        null,
        null,
        DoFnSchemaInformation.create(),
        Collections.emptyMap());
  }

  private static final class Identity extends DoFn<String, String> {
    @ProcessElement
    public void process(@Element String value, OutputReceiver<String> out) {
      out.output(value);
    }
  }
}
