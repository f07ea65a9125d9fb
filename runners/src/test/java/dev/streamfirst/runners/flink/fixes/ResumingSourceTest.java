package dev.streamfirst.runners.flink.fixes;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSource;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSourceSplit;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.junit.Test;

/**
 * A restored source's split enumerator, against a recording coordinator: Beam 2.62's splits the
 * source again and hands the fresh splits to readers that already hold their restored ones; {@link
 * ResumingSource}'s hands out only what the checkpoint holds.
 */
public class ResumingSourceTest {
  private static final int PARALLELISM = 2;

  @Test
  public void restored_handsOutNoFreshSplits_andTellsEachReaderNothingMoreComes() throws Exception {
    Coordinator coordinator = new Coordinator();
    restore(new ResumingSource<>(source()), coordinator, Map.of());

    assertEquals(Map.of(), coordinator.assigned);
    assertEquals(List.of(0, 1), coordinator.noMoreSplits);
  }

  /** Beam's own restored enumerator, for contrast: this is the double read. */
  @Test
  public void upstreamRestored_splitsTheSourceAgain() throws Exception {
    Coordinator coordinator = new Coordinator();
    restore(source(), coordinator, Map.of());

    assertEquals(PARALLELISM, coordinator.assigned.size());
  }

  @Test
  public void splitsTheCheckpointHolds_goToTheReaderOfTheirSubtask_atAnyParallelism()
      throws Exception {
    Coordinator coordinator = new Coordinator();
    // Written at parallelism 4, restored at 2.
    FlinkSourceSplit<Long> first = split(0);
    FlinkSourceSplit<Long> third = split(3);
    restore(
        new ResumingSource<>(source()), coordinator, Map.of(0, List.of(first), 3, List.of(third)));

    assertEquals(Map.of(0, List.of(first), 1, List.of(third)), coordinator.assigned);
  }

  @Test
  public void splitsHandedBack_areKeptInCheckpoints_untilTheirReaderReturns() throws Exception {
    Coordinator coordinator = new Coordinator();
    SplitEnumerator<FlinkSourceSplit<Long>, Map<Integer, List<FlinkSourceSplit<Long>>>> enumerator =
        new ResumingSource<>(source()).restoreEnumerator(coordinator, Map.of());
    enumerator.start();
    FlinkSourceSplit<Long> back = split(1);
    enumerator.addSplitsBack(List.of(back), 1);

    assertEquals(Map.of(1, List.of(back)), enumerator.snapshotState(7));
    enumerator.addReader(1);
    assertEquals(Map.of(1, List.of(back)), coordinator.assigned);
    assertTrue(enumerator.snapshotState(8).isEmpty());
  }

  private static void restore(
      FlinkSource<Long, ?> source,
      Coordinator coordinator,
      Map<Integer, List<FlinkSourceSplit<Long>>> checkpoint)
      throws Exception {
    register(source.restoreEnumerator(coordinator, new HashMap<>(checkpoint)));
  }

  private static void restore(
      ResumingSource<Long, ?> source,
      Coordinator coordinator,
      Map<Integer, List<FlinkSourceSplit<Long>>> checkpoint) {
    register(source.restoreEnumerator(coordinator, new HashMap<>(checkpoint)));
  }

  private static void register(
      SplitEnumerator<FlinkSourceSplit<Long>, Map<Integer, List<FlinkSourceSplit<Long>>>>
          enumerator) {
    for (int subtask = 0; subtask < PARALLELISM; subtask++) {
      enumerator.addReader(subtask);
    }
    enumerator.start();
  }

  private static FlinkSource<Long, ?> source() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    return FlinkSource.unbounded(
        "Read", CountingSource.unbounded(), new SerializablePipelineOptions(options), PARALLELISM);
  }

  private static FlinkSourceSplit<Long> split(int index) {
    return new FlinkSourceSplit<>(index, CountingSource.upTo(10));
  }

  /** Runs asynchronous work at once and records what the enumerator tells readers. */
  private static final class Coordinator implements SplitEnumeratorContext<FlinkSourceSplit<Long>> {
    final Map<Integer, List<FlinkSourceSplit<Long>>> assigned = new TreeMap<>();
    final List<Integer> noMoreSplits = new ArrayList<>();

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {}

    @Override
    public int currentParallelism() {
      return PARALLELISM;
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
      Map<Integer, ReaderInfo> readers = new HashMap<>();
      for (int subtask = 0; subtask < PARALLELISM; subtask++) {
        readers.put(subtask, new ReaderInfo(subtask, "localhost"));
      }
      return readers;
    }

    @Override
    public void assignSplits(SplitsAssignment<FlinkSourceSplit<Long>> assignment) {
      assignment
          .assignment()
          .forEach(
              (subtask, splits) ->
                  assigned.computeIfAbsent(subtask, s -> new ArrayList<>()).addAll(splits));
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
      noMoreSplits.add(subtask);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
      try {
        handler.accept(callable.call(), null);
      } catch (Exception e) {
        handler.accept(null, e);
      }
    }

    @Override
    public <T> void callAsync(
        Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelay, long period) {
      callAsync(callable, handler);
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
      runnable.run();
    }
  }
}
