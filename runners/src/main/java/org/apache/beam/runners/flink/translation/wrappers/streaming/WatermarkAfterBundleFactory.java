package org.apache.beam.runners.flink.translation.wrappers.streaming;

import java.lang.reflect.Field;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/**
 * Creates a {@link DoFnOperator} that passes its output watermark on as soon as a bundle ends, by
 * whatever means it ends.
 *
 * <p>Why: FlinkRunner 2.62's {@code DoFnOperator} holds its output watermark back while a bundle is
 * open, and catches up only when a bundle ends by element count. A bundle that ends by time only
 * schedules the catch-up as a processing-time timer, and under sustained input the next element
 * opens a new bundle before that timer runs, so the catch-up finds a bundle open and gives up
 * again; the re-check meant for this in {@code invokeFinishBundle} compares its times the wrong way
 * round and never runs. Downstream windows then wait for a bundle that happens to end by count,
 * which is why streaming jobs ran with one-element bundles. The operator's own bundle-finished hook
 * (used by its portable subclass only) is the place where no bundle is open, so this factory sets
 * it to do the catch-up there.
 *
 * <p>Lives in Beam's package because the hook and the catch-up are package-private. Delete it (and
 * {@code dev.streamfirst.runners.flink.fixes.FlinkStreamingFixes}' use of it) once Beam's
 * FlinkRunner passes the watermark on when a bundle ends by time.
 */
public final class WatermarkAfterBundleFactory<OutputT> extends SimpleOperatorFactory<OutputT> {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("unchecked")
  public WatermarkAfterBundleFactory(DoFnOperator<?, ?> operator) {
    super((StreamOperator<OutputT>) operator);
  }

  @Override
  public <T extends StreamOperator<OutputT>> T createStreamOperator(
      StreamOperatorParameters<OutputT> parameters) {
    T created = super.createStreamOperator(parameters);
    DoFnOperator<?, ?> operator = (DoFnOperator<?, ?>) created;
    operator.setBundleFinishedCallback(new CatchUp(operator));
    return created;
  }

  /** The catch-up, run right after a bundle ended (no bundle is open then). */
  static final class CatchUp implements Runnable {
    private static final Field OUTPUT_BUFFERED = bufferFlag();

    private final DoFnOperator<?, ?> operator;
    private boolean running;

    CatchUp(DoFnOperator<?, ?> operator) {
      this.operator = operator;
    }

    @Override
    public void run() {
      // A bundle ended inside snapshotState() has its output buffered until after the snapshot; a
      // watermark sent now would overtake that output and make it late. The next bundle's end
      // catches up instead.
      if (running || outputBuffered()) {
        return;
      }
      running = true;
      try {
        operator.updateOutputWatermark();
      } finally {
        running = false;
      }
    }

    private boolean outputBuffered() {
      DoFnOperator.BufferedOutputManager<?> output = operator.outputManager;
      try {
        return output != null && OUTPUT_BUFFERED.getBoolean(output);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    private static Field bufferFlag() {
      try {
        Field flag = DoFnOperator.BufferedOutputManager.class.getDeclaredField("openBuffer");
        flag.setAccessible(true);
        return flag;
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException(
            "this Beam version's DoFnOperator has no output buffer flag; remove"
                + " WatermarkAfterBundleFactory if the version fixed the watermark after bundles",
            e);
      }
    }
  }
}
