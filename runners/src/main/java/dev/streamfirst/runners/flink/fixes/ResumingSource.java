package dev.streamfirst.runners.flink.fixes;

import java.util.List;
import java.util.Map;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSource;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSourceSplit;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A Beam source on Flink that, restored from a checkpoint or savepoint, goes on from where its
 * splits were instead of also reading every split again from the start.
 *
 * <p>Why: FlinkRunner 2.62's split enumerator, when restored, splits the Beam source afresh and
 * hands those new splits to readers that already hold their restored splits, so each split is read
 * twice: once from its checkpointed position and once from the beginning (apache/beam#31313, fixed
 * in Beam 2.63). Here a restored job gets a {@link ResumingSplitEnumerator}, which hands out only
 * the splits the checkpoint holds as unassigned; a fresh start is Beam's own enumerator. Its
 * readers pass metrics to Flink at most twice a second ({@link SourceMetricsThrottle}). Everything
 * else is the wrapped source's. Delete this class once the project's Beam version has the fix.
 */
final class ResumingSource<T, OutputT>
    implements Source<OutputT, FlinkSourceSplit<T>, Map<Integer, List<FlinkSourceSplit<T>>>> {
  private static final long serialVersionUID = 1L;

  private final FlinkSource<T, OutputT> source;

  ResumingSource(FlinkSource<T, OutputT> source) {
    this.source = source;
  }

  FlinkSource<T, OutputT> wrapped() {
    return source;
  }

  @Override
  public Boundedness getBoundedness() {
    return source.getBoundedness();
  }

  @Override
  public SourceReader<OutputT, FlinkSourceSplit<T>> createReader(SourceReaderContext readerContext)
      throws Exception {
    return SourceMetricsThrottle.applyTo(source.createReader(readerContext));
  }

  @Override
  public SplitEnumerator<FlinkSourceSplit<T>, Map<Integer, List<FlinkSourceSplit<T>>>>
      createEnumerator(SplitEnumeratorContext<FlinkSourceSplit<T>> context) throws Exception {
    return source.createEnumerator(context);
  }

  @Override
  public SplitEnumerator<FlinkSourceSplit<T>, Map<Integer, List<FlinkSourceSplit<T>>>>
      restoreEnumerator(
          SplitEnumeratorContext<FlinkSourceSplit<T>> context,
          Map<Integer, List<FlinkSourceSplit<T>>> checkpoint) {
    return new ResumingSplitEnumerator<>(context, checkpoint);
  }

  @Override
  public SimpleVersionedSerializer<FlinkSourceSplit<T>> getSplitSerializer() {
    return source.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<Map<Integer, List<FlinkSourceSplit<T>>>>
      getEnumeratorCheckpointSerializer() {
    return source.getEnumeratorCheckpointSerializer();
  }
}
