package dev.streamfirst.runners.flink.fixes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The split enumerator of a restored {@link ResumingSource}: the source was split when the job
 * first started, and every split since then lives in some reader's checkpointed state (with its
 * position) or in this enumerator's checkpoint (not yet assigned, or handed back by a failed
 * reader). So it never splits the source again; it assigns what it holds, and tells each reader
 * that nothing more will come, as Beam's enumerator does once it has assigned its splits.
 *
 * <p>The enumerator's checkpoint keeps Beam's form (pending splits by subtask), so checkpoints and
 * savepoints move freely between this and Beam's enumerator.
 */
final class ResumingSplitEnumerator<T>
    implements SplitEnumerator<FlinkSourceSplit<T>, Map<Integer, List<FlinkSourceSplit<T>>>> {
  private final SplitEnumeratorContext<FlinkSourceSplit<T>> context;
  private final Map<Integer, List<FlinkSourceSplit<T>>> pending = new HashMap<>();

  ResumingSplitEnumerator(
      SplitEnumeratorContext<FlinkSourceSplit<T>> context,
      Map<Integer, List<FlinkSourceSplit<T>>> checkpoint) {
    this.context = context;
    checkpoint.forEach((subtask, splits) -> addSplitsBack(splits, subtask));
  }

  @Override
  public void start() {
    // Nothing to discover: the splits were made when the job first started.
  }

  @Override
  public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
    // Splits are pushed to readers as they register, never requested.
  }

  @Override
  public void addSplitsBack(List<FlinkSourceSplit<T>> splits, int subtaskId) {
    pending.computeIfAbsent(subtaskId, s -> new ArrayList<>()).addAll(splits);
  }

  @Override
  public void addReader(int subtaskId) {
    // A restored job may run at another parallelism than the one that wrote the checkpoint.
    List<FlinkSourceSplit<T>> splits = new ArrayList<>();
    pending
        .entrySet()
        .removeIf(
            entry -> {
              if (entry.getKey() % context.currentParallelism() != subtaskId) {
                return false;
              }
              splits.addAll(entry.getValue());
              return true;
            });
    if (!splits.isEmpty()) {
      context.assignSplits(new SplitsAssignment<>(Map.of(subtaskId, splits)));
    }
    context.signalNoMoreSplits(subtaskId);
  }

  @Override
  public Map<Integer, List<FlinkSourceSplit<T>>> snapshotState(long checkpointId) {
    Map<Integer, List<FlinkSourceSplit<T>>> copy = new HashMap<>();
    pending.forEach((subtask, splits) -> copy.put(subtask, new ArrayList<>(splits)));
    return copy;
  }

  @Override
  public void close() {}
}
