package dev.streamfirst.pipelines;

import dev.streamfirst.io.Sinks;
import dev.streamfirst.io.Sources;
import dev.streamfirst.io.console.ConsoleSink;
import dev.streamfirst.io.generator.GenerateEvents;
import dev.streamfirst.io.postgres.PostgresSink;
import dev.streamfirst.io.redis.RedisSink;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.pipelines.options.SinkOptions;
import dev.streamfirst.pipelines.options.SourceOptions;
import dev.streamfirst.transforms.errors.DeadLetter;
import dev.streamfirst.transforms.errors.DeadLetterReason;
import dev.streamfirst.transforms.metrics.RunReportMetrics;
import dev.streamfirst.transforms.metrics.StreamfirstMetrics;
import java.util.function.BiFunction;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A pipeline being built from its options: {@code --source}, {@code --sink} and {@code
 * --deadLetter} opened, the pipeline's own settings read, every problem with any of them reported
 * at once ({@link dev.streamfirst.pipelines.options.InvalidOptionsException}), and one way to read
 * and to write.
 *
 * <pre>{@code
 * PipelineIo<SessionsSettings> io = PipelineIo.open(options, SessionsSettings::from);
 * Result<SessionRow> result = io.read("ReadEvents").apply("Sessions", Sessions.of(io.settings()));
 * io.write(result.output(), "Sessions", SessionRow::toJson);
 * io.writeDeadLetters(result.deadLetters());
 * return io.pipeline();
 * }</pre>
 */
public final class PipelineIo<S> {
  /** The field that marks dead letters printed to the console beside rows. */
  public static final String DEAD_LETTER_MARKER = "dead_letter";

  private final Pipeline pipeline;
  private final S settings;
  private final PTransform<PBegin, PCollection<String>> source;
  private final PTransform<PCollection<String>, PDone> sink;
  private final PTransform<PCollection<String>, PDone> deadLetterSink;

  private PipelineIo(
      Pipeline pipeline,
      S settings,
      PTransform<PBegin, PCollection<String>> source,
      PTransform<PCollection<String>, PDone> sink,
      PTransform<PCollection<String>, PDone> deadLetterSink) {
    this.pipeline = pipeline;
    this.settings = settings;
    this.source = source;
    this.sink = sink;
    this.deadLetterSink = deadLetterSink;
  }

  /**
   * Opens the three URIs and reads the settings with {@code readSettings}, then creates the
   * pipeline.
   *
   * @throws dev.streamfirst.pipelines.options.InvalidOptionsException naming each bad option
   */
  public static <O extends SourceOptions & SinkOptions, S> PipelineIo<S> open(
      O options, BiFunction<O, OptionChecks, S> readSettings) {
    OptionChecks checks = new OptionChecks();
    PTransform<PBegin, PCollection<String>> source =
        checks.parse("source", options.getSource(), Sources::read);
    checks.require(
        !(source instanceof GenerateEvents generator
            && !generator.spec().isUnbounded()
            && generator.spec().late() > 0),
        "source",
        options.getSource(),
        "late= has no effect on a bounded generator (count= without rate=): a bounded input's"
            + " watermark waits for all of it, so none of it is late; add rate=N to make the"
            + " generator unbounded, or drop late=");
    PTransform<PCollection<String>, PDone> sink = sink("sink", options.getSink(), checks);
    PTransform<PCollection<String>, PDone> deadLetterSink =
        sink("deadLetter", options.getDeadLetter(), checks);
    checks.require(
        !(deadLetterSink instanceof PostgresSink || deadLetterSink instanceof RedisSink),
        "deadLetter",
        options.getDeadLetter(),
        "the stores take result rows only (upserts by key and window); send dead letters to"
            + " file:, console:, kafka: or pubsub:, e.g. --deadLetter=file:///data/dead-letters");
    if (deadLetterSink instanceof ConsoleSink console) {
      // Rows and dead letters share the console: each dead letter says what it is.
      deadLetterSink = console.markedWith(DEAD_LETTER_MARKER);
    }
    S settings = readSettings.apply(options, checks);
    checks.throwIfAny();
    return new PipelineIo<>(Pipeline.create(options), settings, source, sink, deadLetterSink);
  }

  /** A further sink (e.g. {@code --alertSink}), recorded in {@code checks} when its URI is bad. */
  public static PTransform<PCollection<String>, PDone> sink(
      String option, String uri, OptionChecks checks) {
    return checks.parse(option, uri, Sinks::write);
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  /** The pipeline's own settings, checked. */
  public S settings() {
    return settings;
  }

  /** The source's messages, read in a step named {@code stepName}. */
  public PCollection<String> read(String stepName) {
    return pipeline.apply(stepName, source);
  }

  /**
   * Writes {@code items} to {@code --sink} in steps {@code <what>ToJson} and {@code Write<what>}.
   */
  public <T> void write(PCollection<T> items, String what, SerializableFunction<T, String> toJson) {
    write(items, what + "ToJson", toJson, "Write" + what, sink);
  }

  /**
   * Writes dead letters to {@code --deadLetter}, each with the run's job id ({@code --jobName},
   * which Beam makes unique per run when not given), so a dead letter can be traced to the run and
   * its audit record.
   */
  public void writeDeadLetters(PCollection<DeadLetter> deadLetters) {
    write(
        deadLetters,
        "DeadLettersToJson",
        new DeadLetterJsonFn(pipeline.getOptions().getJobName()),
        "WriteDeadLetters",
        deadLetterSink);
  }

  /** A dead letter as JSON with the job id; a class, so it captures only the id. */
  private static final class DeadLetterJsonFn implements SerializableFunction<DeadLetter, String> {
    private final String jobId;

    DeadLetterJsonFn(String jobId) {
      this.jobId = jobId;
    }

    @Override
    public String apply(DeadLetter letter) {
      return letter.toJson(jobId);
    }
  }

  /** Writes {@code items} as JSON lines to {@code sink}, in the two steps named. */
  public static <T> void write(
      PCollection<T> items,
      String toJsonStep,
      SerializableFunction<T, String> toJson,
      String writeStep,
      PTransform<PCollection<String>, PDone> sink) {
    String what = writeStep.startsWith("Write") ? writeStep.substring("Write".length()) : writeStep;
    items
        .apply(
            toJsonStep,
            MapElements.into(TypeDescriptors.strings())
                .via(new CountedToJson<>(toJson, StreamfirstMetrics.output(what))))
        .apply(writeStep, sink);
  }

  /**
   * Turns items into JSON and counts them, so a summary can say what a pipeline wrote, and a run
   * report how many rows each window had and how late they were ({@link RunReportMetrics}).
   */
  private static final class CountedToJson<T> implements SerializableFunction<T, String> {
    private final SerializableFunction<T, String> toJson;
    private final String counterName;
    private final RunReportMetrics.Tap tap = RunReportMetrics.tap();
    private transient Counter counter;

    CountedToJson(SerializableFunction<T, String> toJson, String counterName) {
      this.toJson = toJson;
      this.counterName = counterName;
    }

    @Override
    public String apply(T item) {
      if (counter == null) {
        counter = StreamfirstMetrics.counter(counterName);
      }
      counter.inc();
      tap.observe(item);
      if (item instanceof DeadLetter letter) {
        // By stage and reason class, so a dashboard can tell a producer's bad payloads from late
        // data or a failing lookup without reading the letters.
        StreamfirstMetrics.counter(
                StreamfirstMetrics.deadLetters(
                    DeadLetterReason.metricPart(letter.stage()), DeadLetterReason.of(letter)))
            .inc();
      }
      return toJson.apply(item);
    }
  }

  /** The result sink, for outputs whose steps are named otherwise. */
  public PTransform<PCollection<String>, PDone> sink() {
    return sink;
  }
}
