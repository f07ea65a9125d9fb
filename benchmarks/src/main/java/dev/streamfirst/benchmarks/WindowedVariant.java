package dev.streamfirst.benchmarks;

import java.nio.file.Path;
import java.util.List;

/** One way of computing the sessions or the sensors logic over a file of events. */
interface WindowedVariant {
  /** A short name for the results table. */
  String name();

  /** Computes the logic over every event in {@code input}; {@code work} is a scratch folder. */
  List<WindowRow> run(Path input, Path work) throws Exception;
}
