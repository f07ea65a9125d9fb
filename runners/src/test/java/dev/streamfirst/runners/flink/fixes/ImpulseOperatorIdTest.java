package dev.streamfirst.runners.flink.fixes;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import org.apache.beam.runners.flink.translation.functions.ImpulseSourceFunction;
import org.apache.beam.runners.flink.translation.types.CoderTypeInformation;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.util.WindowedValue;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.Test;

/**
 * A savepoint maps state to operator ids. FlinkRunner's streaming impulse has state and no uid, so
 * its id is derived from the graph around it; with the correction it is the same at parallelism 1
 * and 2, which is what restoring a rescaled job needs.
 */
public class ImpulseOperatorIdTest {
  @Test
  public void corrected_impulseHasTheSameOperatorIdAtParallelismOneAndTwo() {
    assertEquals(impulseId(1, true), impulseId(2, true));
  }

  /** Without the correction, the id changes with the parallelism: the failed restore. */
  @Test
  public void uncorrected_impulseIdChangesWithParallelism() {
    assertNotEquals(impulseId(1, false), impulseId(2, false));
  }

  /** Jobs at parallelism 2 and above keep the id they had: their savepoints still restore. */
  @Test
  public void corrected_keepsTheIdOfAnUncorrectedJobAtParallelismTwo() {
    assertEquals(impulseId(2, false), impulseId(2, true));
    assertEquals(impulseId(2, false), impulseId(4, true));
  }

  /** Impulse, then a step with a uid (as Beam gives its steps), at {@code parallelism}. */
  private static OperatorID impulseId(int parallelism, boolean corrected) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(parallelism);
    TypeInformation<WindowedValue<byte[]>> type =
        new CoderTypeInformation<>(
            WindowedValue.getFullCoder(ByteArrayCoder.of(), GlobalWindow.Coder.INSTANCE),
            PipelineOptionsFactory.create());
    env.addSource(new ImpulseSourceFunction(0), "Impulse")
        .returns(type)
        .map(new Identity())
        .returns(type)
        .uid("SeedEveryShard")
        .print();
    if (corrected) {
      assertEquals(1, FlinkStreamingFixes.applyTo(env).impulses());
    }
    JobGraph graph = env.getStreamGraph().getJobGraph();
    for (JobVertex vertex : graph.getVertices()) {
      if (vertex.getName().startsWith("Source: Impulse")) {
        // A chain lists its operators head last; the impulse is the chain's head.
        var ids = vertex.getOperatorIDs();
        return ids.get(ids.size() - 1).getGeneratedOperatorID();
      }
    }
    throw new AssertionError("no impulse in " + graph.getVertices());
  }

  private static final class Identity
      implements MapFunction<WindowedValue<byte[]>, WindowedValue<byte[]>> {
    @Override
    public WindowedValue<byte[]> map(WindowedValue<byte[]> value) {
      return value;
    }
  }
}
