package dev.streamfirst.runners;

import dev.streamfirst.io.Secrets;
import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.Sources;
import dev.streamfirst.io.file.FileSink;
import dev.streamfirst.io.file.FileSource;
import dev.streamfirst.io.file.InputFiles;
import dev.streamfirst.io.file.OutputDirectory;
import dev.streamfirst.io.kafka.BrokerCheck;
import dev.streamfirst.io.kafka.KafkaSink;
import dev.streamfirst.io.kafka.KafkaSource;
import dev.streamfirst.pipelines.options.AlertOptions;
import dev.streamfirst.pipelines.options.InvalidOptionsException;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.PTransform;

/**
 * The checks that can only be made on the machine, just before a run: a {@code file://} source that
 * matches nothing, a sink directory that cannot be written or that holds an earlier run's output, a
 * Kafka cluster that does not answer. Options are checked when the pipeline is built; these look at
 * the disk, so a mistake fails in a second rather than after all input was read.
 *
 * <p>On Dataflow a {@code file://} path is a worker's disk, not this machine's, so nothing is
 * checked there. A Flink job restored from a savepoint continues its earlier output, which is then
 * kept.
 */
final class LocalIoPreflight {
  private final List<String> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, OutputDirectory> outputs = new LinkedHashMap<>();
  private final Map<String, OutputDirectory> byOption = new LinkedHashMap<>();
  private final java.util.Set<String> askedBrokers = new java.util.HashSet<>();
  private final java.util.Set<String> unreachable = new java.util.HashSet<>();
  private final boolean overwrite;
  private final boolean continuing;

  private LocalIoPreflight(boolean overwrite, boolean continuing) {
    this.overwrite = overwrite;
    this.continuing = continuing;
  }

  /** Looks at the local files the run's options name. */
  static LocalIoPreflight check(PlannedRun plan) {
    PipelineOptions options = plan.options();
    boolean continuing = plan.given("savepointPath");
    LocalIoPreflight preflight =
        new LocalIoPreflight(options.as(LaunchOptions.class).getOverwrite(), continuing);
    if (!RunnerProfiles.of(options).usesLocalFiles()) {
      return preflight;
    }
    if (options instanceof SourceOptions source) {
      preflight.source("source", source.getSource());
    }
    if (options instanceof SinkOptions sinks) {
      preflight.sink("sink", sinks.getSink(), continuing);
      preflight.sink("deadLetter", sinks.getDeadLetter(), continuing);
    }
    if (options instanceof AlertOptions alerts) {
      preflight.sink("alertSink", alerts.getAlertSink(), continuing);
    }
    return preflight;
  }

  private void source(String option, String uri) {
    PTransform<?, ?> source = parse(() -> Sources.read(uri));
    if (source instanceof KafkaSource kafka) {
      broker(
          option,
          uri,
          kafka.bootstrapServers(),
          kafka.clientProperties(),
          kafka.topics(),
          BrokerCheck.Access.READ);
    }
    if (source instanceof FileSource file) {
      InputFiles input = InputFiles.of(file);
      input.problem().ifPresent(p -> problems.add("--" + option + "=" + uri + ": " + p));
      input.warning().ifPresent(w -> warnings.add("--" + option + "=" + uri + ": " + w));
    }
  }

  private void sink(String option, String uri, boolean continuing) {
    PTransform<?, ?> sink = parse(() -> Sinks.write(uri));
    if (sink instanceof KafkaSink kafka) {
      broker(
          option,
          uri,
          kafka.bootstrapServers(),
          kafka.clientProperties(),
          List.of(kafka.topic()),
          BrokerCheck.Access.WRITE);
    }
    if (sink instanceof FileSink file) {
      OutputDirectory dir = OutputDirectory.of(file);
      byOption.put(option, dir);
      if (outputs.containsKey(dir.path().toString())) {
        // Two options naming one directory: checked (and cleared) once.
        return;
      }
      dir.problem(overwrite || continuing)
          .ifPresent(p -> problems.add("--" + option + "=" + uri + ": " + p));
      outputs.put(dir.path().toString(), dir);
    }
  }

  private void broker(
      String option,
      String uri,
      String servers,
      Map<String, String> clientProperties,
      List<String> topics,
      BrokerCheck.Access access) {
    // One question per cluster, login, topics and access, however many options name them; a
    // cluster that does not answer is reported once.
    String asked = servers + " " + clientProperties + " " + topics + " " + access;
    if (!unreachable.contains(servers) && askedBrokers.add(asked)) {
      BrokerCheck.problem(servers, clientProperties, topics, access)
          .map(
              p -> {
                if (p.startsWith("no Kafka broker answered")) {
                  unreachable.add(servers);
                }
                return p;
              })
          .ifPresent(p -> problems.add("--" + option + "=" + Secrets.maskUri(uri) + ": " + p));
    }
  }

  private static PTransform<?, ?> parse(java.util.function.Supplier<PTransform<?, ?>> open) {
    try {
      return open.get();
    } catch (IllegalArgumentException e) {
      // A bad URI was reported when the pipeline was built.
      return null;
    }
  }

  /**
   * @throws InvalidOptionsException naming each option whose files stop the run
   */
  void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(problems);
    }
  }

  /** Things that will not stop the run but that the user should know first. */
  List<String> warnings() {
    return warnings;
  }

  /** Replaces earlier output, when asked to: called once every check has passed. */
  void clearEarlierOutput() {
    if (!overwrite || continuing) {
      return;
    }
    for (OutputDirectory dir : outputs.values()) {
      try {
        dir.clear();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clear " + dir.path() + ": " + e.getMessage(), e);
      }
    }
  }

  /** The local directories the run writes to, by the option that names them. */
  Map<String, OutputDirectory> outputsByOption() {
    return java.util.Collections.unmodifiableMap(byOption);
  }
}
