package dev.streamfirst.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** The runner flags each Beam variant runs with, the same for ours and the built-ins. */
enum BeamRunners {
  DIRECT("DirectRunner"),
  FLINK_LOCAL("FlinkRunner [local]");

  private final String label;

  BeamRunners(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  List<String> flags() {
    List<String> flags = new ArrayList<>();
    if (this == DIRECT) {
      flags.add("--runner=DirectRunner");
      // As the launcher runs it: the checks that catch bugs in user code cost more than half the
      // time and are for tests.
      flags.add("--enforceImmutability=false");
      flags.add("--enforceEncodability=false");
    } else {
      flags.add("--runner=FlinkRunner");
      flags.add("--flinkMaster=[local]");
      flags.add("--parallelism=2");
    }
    return flags;
  }
}
