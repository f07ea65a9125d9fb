package dev.streamfirst.benchmarks;

import java.nio.file.Path;
import java.util.List;

/** One way of computing the rollup over a file of events. */
interface Variant {
  /** A short name for the results table. */
  String name();

  /** Computes the rollup of every event in {@code input}; {@code work} is a scratch folder. */
  List<AggregateRow> run(Path input, Path work) throws Exception;
}
