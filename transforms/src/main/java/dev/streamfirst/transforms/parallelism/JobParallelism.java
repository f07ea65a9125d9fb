package dev.streamfirst.transforms.parallelism;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.common.ReflectHelpers;

/**
 * What a job's options say about its parallelism, for transforms that spread state over keys. Only
 * options set explicitly are known at construction. The runners' option classes are not on this
 * module's classpath, so the options are read through their JSON form.
 */
public final class JobParallelism {
  private static final ObjectMapper OPTIONS_JSON =
      new ObjectMapper()
          .registerModules(ObjectMapper.findModules(ReflectHelpers.findClassLoader()));

  private final JsonNode set;

  private JobParallelism(JsonNode set) {
    this.set = set;
  }

  public static JobParallelism of(PipelineOptions options) {
    JsonNode set;
    try {
      set = OPTIONS_JSON.valueToTree(options).path("options");
    } catch (IllegalArgumentException e) {
      set = OPTIONS_JSON.createObjectNode();
    }
    return new JobParallelism(set);
  }

  /**
   * The most parallel workers the options ask for (Flink's {@code parallelism}, Dataflow's {@code
   * maxNumWorkers} or {@code numWorkers}, the DirectRunner's {@code targetParallelism}), or 0.
   */
  public long workers() {
    long workers = 0;
    for (String hint :
        new String[] {"parallelism", "targetParallelism", "maxNumWorkers", "numWorkers"}) {
      workers = Math.max(workers, set.path(hint).asLong(0));
    }
    return workers;
  }

  /**
   * Flink's {@code maxParallelism} when set, or 0. Unlike the parallelism, it stays the same for
   * the life of a job's state (a savepoint keeps it), so a state key space sized from it survives a
   * rescale.
   */
  public long maxParallelism() {
    return Math.max(0, set.path("maxParallelism").asLong(0));
  }
}
