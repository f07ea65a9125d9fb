package dev.streamfirst.benchmarks;

import dev.streamfirst.benchmarks.NativeFlinkRollup.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParser;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonToken;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The latency benchmark's rollup written natively for Flink 1.19 (DataStream API and Flink's Kafka
 * connector), submitted to the same session cluster as the Streamfirst job: the anchor that says
 * what the machine and Flink can do, so the Streamfirst figure can be read against it.
 *
 * <p>Same work as the Streamfirst rollup: Kafka source from the newest offsets, event time from
 * {@code ts} with watermarks {@code maxDisorder} behind, dedup by id, tumbling event-time windows
 * per key with count, sum, min, max and mean, one JSON row per key and window, Kafka sink
 * at-least-once or exactly-once (transactions committed at checkpoints). Written for low latency as
 * a Flink engineer would: events parsed straight from the record bytes, object reuse, a mutable
 * accumulator, a short network buffer timeout.
 *
 * <pre>{@code
 * JobClient job = NativeLatencyJob.builder(bootstrap, input, rows, "group")
 *     .window(1000).maxDisorder(1000).checkpointMs(1000).exactlyOnce(false)
 *     .submit("localhost", restPort, NativeLatencyJob.jars(work), "latency-native");
 * }</pre>
 */
final class NativeLatencyJob {
  /** Where the connector's jars are ({@code benchmarks/target/native-job-lib} by default). */
  static final String LIB_PROPERTY = "streamfirst.nativeJobLib";

  private final String bootstrapServers;
  private final String input;
  private final String output;
  private final String group;
  private long windowMillis = 1_000;
  private long maxDisorderMillis = 1_000;
  private long checkpointMs = 1_000;
  private long bufferTimeoutMs = 10;
  private long dedupTtlMillis = 60_000;
  private boolean exactlyOnce;

  private NativeLatencyJob(String bootstrapServers, String input, String output, String group) {
    this.bootstrapServers = bootstrapServers;
    this.input = input;
    this.output = output;
    this.group = group;
  }

  static NativeLatencyJob builder(
      String bootstrapServers, String input, String output, String group) {
    return new NativeLatencyJob(bootstrapServers, input, output, group);
  }

  NativeLatencyJob window(long millis) {
    this.windowMillis = millis;
    return this;
  }

  NativeLatencyJob maxDisorder(long millis) {
    this.maxDisorderMillis = millis;
    return this;
  }

  NativeLatencyJob checkpointMs(long millis) {
    this.checkpointMs = millis;
    return this;
  }

  /** How long an output buffer may wait to fill before it is sent on; Flink's default is 100. */
  NativeLatencyJob bufferTimeoutMs(long millis) {
    this.bufferTimeoutMs = millis;
    return this;
  }

  NativeLatencyJob dedupTtl(long millis) {
    this.dedupTtlMillis = millis;
    return this;
  }

  NativeLatencyJob exactlyOnce(boolean exactlyOnce) {
    this.exactlyOnce = exactlyOnce;
    return this;
  }

  /**
   * Submits the job to the session cluster at {@code host:restPort} with {@code jars} shipped, and
   * returns once it was accepted.
   */
  JobClient submit(String host, int restPort, List<String> jars, String jobName) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createRemoteEnvironment(
            host, restPort, new Configuration(), jars.toArray(String[]::new));
    define(env);
    return env.executeAsync(jobName);
  }

  /** Adds the job's operators to {@code env}. */
  void define(StreamExecutionEnvironment env) {
    env.setParallelism(2);
    // Safe: no function keeps a reference to an element after passing it on.
    env.getConfig().enableObjectReuse();
    env.setBufferTimeout(bufferTimeoutMs);
    // At-least-once output needs no aligned barriers; exactly-once output commits per checkpoint.
    env.enableCheckpointing(
        checkpointMs,
        exactlyOnce ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE);

    KafkaSource<Event> source =
        KafkaSource.<Event>builder()
            .setBootstrapServers(bootstrapServers)
            .setTopics(input)
            .setGroupId(group)
            .setStartingOffsets(OffsetsInitializer.latest())
            .setValueOnlyDeserializer(new EventDeserializer())
            .build();
    KafkaSink<String> sink =
        KafkaSink.<String>builder()
            .setBootstrapServers(bootstrapServers)
            .setRecordSerializer(
                KafkaRecordSerializationSchema.builder()
                    .setTopic(output)
                    .setValueSerializationSchema(new SimpleStringSchema())
                    .build())
            .setDeliveryGuarantee(
                exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
            .setTransactionalIdPrefix(group)
            // Below the broker's transaction.max.timeout.ms (15 minutes by default); Flink's
            // default of one hour would be refused.
            .setProperty("transaction.timeout.ms", Long.toString(Duration.ofMinutes(5).toMillis()))
            .build();

    env.fromSource(
            source,
            WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofMillis(maxDisorderMillis))
                .withTimestampAssigner((event, previous) -> event.ts),
            "ReadEvents")
        .uid("read-events")
        .keyBy(e -> e.id)
        .process(new FirstOfIdFn(dedupTtlMillis))
        .name("DropDuplicates")
        .uid("drop-duplicates")
        .keyBy(e -> e.key)
        .window(TumblingEventTimeWindows.of(Duration.ofMillis(windowMillis)))
        .aggregate(new StatsFn(), new RowJsonFn())
        .name("Rollup")
        .uid("rollup")
        .sinkTo(sink)
        .name("WriteRows")
        .uid("write-rows");
  }

  /**
   * The jars the cluster needs to run this job: the connector's (see {@link #LIB_PROPERTY}) and one
   * made now in {@code work} from this module's classes.
   */
  static List<String> jars(Path work) {
    Path lib = Path.of(System.getProperty(LIB_PROPERTY, "benchmarks/target/native-job-lib"));
    List<String> jars = new ArrayList<>();
    try (Stream<Path> files = Files.list(lib)) {
      files.filter(f -> f.toString().endsWith(".jar")).forEach(f -> jars.add(f.toString()));
    } catch (IOException e) {
      throw new IllegalStateException(
          "the native job's libraries ("
              + lib.toAbsolutePath()
              + ") are missing; build first: mvn -B -o -pl benchmarks -am package -DskipTests",
          e);
    }
    jars.add(classesJar(work).toString());
    return jars;
  }

  /** This module's classes as a jar, whether they run from a jar or a classes folder. */
  private static Path classesJar(Path work) {
    try {
      Path classes =
          Path.of(
              NativeLatencyJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(classes)) {
        return classes;
      }
      Files.createDirectories(work);
      Path jar = work.resolve("native-latency-job.jar");
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
          Stream<Path> files = Files.walk(classes)) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
          Files.copy(file, out);
          out.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot package the native job's classes", e);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses the canonical event straight from the record's bytes with a streaming parser: no String,
   * no tree. What is not an event (the other variants dead-letter it) is skipped.
   */
  static final class EventDeserializer implements DeserializationSchema<Event> {
    private transient JsonFactory json;

    @Override
    public void open(InitializationContext context) {
      json = new JsonFactory();
    }

    /** The event, or null (skipped by the source) when the record is not one. */
    @Override
    public Event deserialize(byte[] message) {
      if (json == null) {
        json = new JsonFactory();
      }
      Event e = new Event();
      boolean hasTs = false;
      boolean hasValue = false;
      try (JsonParser p = json.createParser(message)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken token = p.nextToken();
          switch (field) {
            case "id" -> e.id = token == JsonToken.VALUE_STRING ? p.getText() : null;
            case "key" -> e.key = token == JsonToken.VALUE_STRING ? p.getText() : null;
            case "ts" -> {
              if (token == JsonToken.VALUE_NUMBER_INT) {
                e.ts = p.getLongValue();
                hasTs = true;
              } else if (token == JsonToken.VALUE_STRING) {
                e.ts = OffsetDateTime.parse(p.getText()).toInstant().toEpochMilli();
                hasTs = true;
              }
            }
            case "value" -> {
              if (token.isNumeric()) {
                e.value = p.getDoubleValue();
                hasValue = Double.isFinite(e.value);
              }
            }
            default -> p.skipChildren();
          }
        }
      } catch (IOException | RuntimeException malformed) {
        return null;
      }
      boolean valid =
          e.id != null && !e.id.isEmpty() && e.key != null && !e.key.isEmpty() && hasTs && hasValue;
      return valid ? e : null;
    }

    @Override
    public boolean isEndOfStream(Event next) {
      return false;
    }

    @Override
    public TypeInformation<Event> getProducedType() {
      return TypeInformation.of(Event.class);
    }
  }

  /**
   * Passes the first event of each id; copies are dropped. The seen-mark expires by Flink's state
   * TTL (processing time, like the dedup TTL the Streamfirst job is given), with no timer per id.
   */
  static final class FirstOfIdFn extends KeyedProcessFunction<String, Event, Event> {
    private final long ttlMillis;
    private transient ValueState<Boolean> seen;

    FirstOfIdFn(long ttlMillis) {
      this.ttlMillis = ttlMillis;
    }

    @Override
    public void open(Configuration parameters) {
      ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Boolean.class);
      descriptor.enableTimeToLive(
          StateTtlConfig.newBuilder(Duration.ofMillis(ttlMillis))
              .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
              .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
              .build());
      seen = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(Event e, Context context, Collector<Event> out) throws Exception {
      if (seen.value() == null) {
        seen.update(Boolean.TRUE);
        out.collect(e);
      }
    }
  }

  /** A window's running aggregate; mutable, so adding an event allocates nothing. */
  public static final class Stats {
    public long count;
    public double sum;
    public double min = Double.POSITIVE_INFINITY;
    public double max = Double.NEGATIVE_INFINITY;

    public Stats() {}
  }

  static final class StatsFn implements AggregateFunction<Event, Stats, Stats> {
    @Override
    public Stats createAccumulator() {
      return new Stats();
    }

    @Override
    public Stats add(Event e, Stats a) {
      a.count++;
      a.sum += e.value;
      a.min = Math.min(a.min, e.value);
      a.max = Math.max(a.max, e.value);
      return a;
    }

    @Override
    public Stats getResult(Stats a) {
      return a;
    }

    @Override
    public Stats merge(Stats a, Stats b) {
      a.count += b.count;
      a.sum += b.sum;
      a.min = Math.min(a.min, b.min);
      a.max = Math.max(a.max, b.max);
      return a;
    }
  }

  /** The row as the Streamfirst rollup writes it: one JSON object with the window in ISO-8601. */
  static final class RowJsonFn extends ProcessWindowFunction<Stats, String, String, TimeWindow> {
    @Override
    public void process(
        String key, Context context, Iterable<Stats> aggregates, Collector<String> out) {
      Stats s = aggregates.iterator().next();
      TimeWindow w = context.window();
      StringBuilder row = new StringBuilder(192);
      row.append("{\"key\":");
      appendJsonString(row, key);
      row.append(",\"window_start\":\"")
          .append(Instant.ofEpochMilli(w.getStart()))
          .append("\",\"window_end\":\"")
          .append(Instant.ofEpochMilli(w.getEnd()))
          .append("\",\"count\":")
          .append(s.count)
          .append(",\"sum\":")
          .append(s.sum)
          .append(",\"min\":")
          .append(s.min)
          .append(",\"max\":")
          .append(s.max)
          .append(",\"mean\":")
          .append(s.sum / s.count)
          .append(",\"pane\":\"ON_TIME\"}");
      out.collect(row.toString());
    }

    private static void appendJsonString(StringBuilder out, String s) {
      out.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20) {
          out.append(String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
      out.append('"');
    }
  }
}
