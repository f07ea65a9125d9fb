package dev.streamfirst.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.ReduceFunction;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple6;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * The rollup as a Flink engineer would write it for a bounded file, parallelism 2: the job runs in
 * {@link RuntimeExecutionMode#BATCH} (sort-based shuffles, no watermarks or timers, state per key
 * dropped as soon as the key is done), with object reuse, Flink's own serializers only ({@code
 * disableGenericTypes()} fails the job if Kryo were needed), the file read in byte ranges and
 * parsed from bytes by a streaming JSON parser (no {@code String} per line), the aggregates
 * combined per subtask before the shuffle, and a keyed {@code reduce} on (key, window), which in
 * batch mode emits one final row per key and window.
 *
 * <p>Same answer as {@link PlainJavaRollup}: in batch mode a keyed input arrives sorted by key and
 * then by timestamp, so the dedup sees an id's copies in event-time order and the earliest wins,
 * with the same TTL rule; every window is complete when it is emitted, so nothing is late.
 */
final class TunedNativeFlinkRollup implements Variant {
  /** Parts of the file read by the source's subtasks, each as it asks for one. */
  static final int CHUNKS = 8;

  /** Entries a subtask's pre-aggregation holds before it sends them on. */
  static final int PRE_AGGREGATE_ENTRIES = 100_000;

  /** (key, window start, count, sum, min, max): an aggregate row, partial or final. */
  private static final TypeInformation<Tuple6<String, Long, Long, Double, Double, Double>> ROW =
      Types.TUPLE(Types.STRING, Types.LONG, Types.LONG, Types.DOUBLE, Types.DOUBLE, Types.DOUBLE);

  @Override
  public String name() {
    return "native Flink DataStream, tuned (batch)";
  }

  @Override
  public List<AggregateRow> run(Path input, Path work) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(2, new Configuration());
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.getConfig().enableObjectReuse();
    env.getConfig().disableGenericTypes();
    List<AggregateRow> rows = new ArrayList<>();
    try (CloseableIterator<Tuple6<String, Long, Long, Double, Double, Double>> results =
        env.fromSequence(0, CHUNKS - 1)
            .flatMap(new ReadChunkFn(input.toString(), CHUNKS))
            .returns(TypeInformation.of(Event.class))
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Event>noWatermarks().withTimestampAssigner((e, t) -> e.ts))
            .keyBy(new ById())
            .process(new DedupFn())
            .returns(ROW)
            .transform("PreAggregate", ROW, new PreAggregateOperator(PRE_AGGREGATE_ENTRIES))
            .keyBy(new ByKeyAndWindow(), Types.TUPLE(Types.STRING, Types.LONG))
            .reduce(new MergeFn())
            .executeAndCollect("tuned native rollup")) {
      results.forEachRemaining(t -> rows.add(new AggregateRow(t.f0, t.f1, t.f2, t.f3, t.f4, t.f5)));
    }
    return rows;
  }

  /** A parsed event; a Flink POJO, serialized by Flink's {@code PojoSerializer}. */
  public static final class Event {
    public String id;
    public String key;
    public long ts;
    public double value;

    public Event() {}
  }

  private static final class ById implements KeySelector<Event, String> {
    @Override
    public String getKey(Event e) {
      return e.id;
    }
  }

  private static final class ByKeyAndWindow
      implements KeySelector<
          Tuple6<String, Long, Long, Double, Double, Double>, Tuple2<String, Long>> {
    @Override
    public Tuple2<String, Long> getKey(Tuple6<String, Long, Long, Double, Double, Double> row) {
      return Tuple2.of(row.f0, row.f1);
    }
  }

  /**
   * Reads lines {@code [chunk * size / chunks, (chunk + 1) * size / chunks)} of the file: those
   * whose first byte lies in that byte range, as Hadoop's and Flink's file splits do, and parses
   * each one straight from the bytes.
   */
  static final class ReadChunkFn extends RichFlatMapFunction<Long, Event> {
    private final String file;
    private final int chunks;
    private transient JsonFactory json;

    ReadChunkFn(String file, int chunks) {
      this.file = file;
      this.chunks = chunks;
    }

    @Override
    public void open(Configuration parameters) {
      json = new JsonFactory();
    }

    @Override
    public void flatMap(Long chunk, Collector<Event> out) throws IOException {
      try (FileChannel channel = FileChannel.open(Path.of(file), StandardOpenOption.READ)) {
        long size = channel.size();
        long start = chunk * size / chunks;
        long end = (chunk + 1) * size / chunks;
        channel.position(start == 0 ? 0 : start - 1);
        LineReader lines = new LineReader(channel);
        long position = start == 0 ? 0 : start - 1;
        if (start > 0) {
          // The line in progress at start - 1 belongs to the chunk before.
          position += lines.next();
        }
        while (position < end) {
          int length = lines.next();
          if (length < 0) {
            break;
          }
          position += length;
          Event e = Parser.parse(json, lines.buffer(), lines.lineStart(), lines.lineLength());
          if (e != null) {
            out.collect(e);
          }
        }
      }
    }
  }

  /** Lines of a channel, '\n'-terminated (a '\r' before it is dropped), read into one buffer. */
  private static final class LineReader {
    private final FileChannel channel;
    private byte[] buffer = new byte[1 << 16];
    private int filled;
    private int next;
    private int lineStart;
    private int lineLength;
    private boolean eof;

    LineReader(FileChannel channel) {
      this.channel = channel;
    }

    /** Reads the next line; returns the bytes it took, end of line included, or -1 at the end. */
    int next() throws IOException {
      int scan = next;
      while (true) {
        for (; scan < filled; scan++) {
          if (buffer[scan] == '\n') {
            return take(scan, scan + 1);
          }
        }
        if (eof) {
          return next < filled ? take(filled, filled) : -1;
        }
        scan = fill(scan);
      }
    }

    byte[] buffer() {
      return buffer;
    }

    int lineStart() {
      return lineStart;
    }

    int lineLength() {
      return lineLength;
    }

    private int take(int endOfLine, int after) {
      lineStart = next;
      int end = endOfLine > lineStart && buffer[endOfLine - 1] == '\r' ? endOfLine - 1 : endOfLine;
      lineLength = end - lineStart;
      int taken = after - next;
      next = after;
      return taken;
    }

    /** Moves the unread bytes to the front, grows the buffer if a line fills it, reads more. */
    private int fill(int scan) throws IOException {
      int unread = filled - next;
      if (next > 0) {
        System.arraycopy(buffer, next, buffer, 0, unread);
      } else if (unread == buffer.length) {
        buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
      }
      scan -= next;
      next = 0;
      filled = unread;
      int read = channel.read(ByteBuffer.wrap(buffer, filled, buffer.length - filled));
      if (read < 0) {
        eof = true;
      } else {
        filled += read;
      }
      return scan;
    }
  }

  /**
   * The validity rules of {@link PlainJavaRollup}, read with Jackson's streaming parser instead of
   * a tree: the line's first JSON value must be a whole object with a non-empty string {@code id}
   * and {@code key}, an integral or ISO-8601 {@code ts} and a finite number {@code value}; a field
   * given twice counts with its last value. Other fields are skipped unread. A blank line has no
   * first value and is skipped too.
   */
  static final class Parser {
    private Parser() {}

    /** The event on {@code line}, or null if it is not a valid one. */
    static Event parse(JsonFactory json, byte[] bytes, int offset, int length) {
      String id = null;
      String key = null;
      JsonToken ts = null;
      String tsText = null;
      long tsNumber = 0;
      JsonToken value = null;
      double valueNumber = 0;
      try (JsonParser p = json.createParser(bytes, offset, length)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        JsonToken field;
        while ((field = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken token = p.nextToken();
          switch (name) {
            case "id" -> id = token == JsonToken.VALUE_STRING ? p.getText() : null;
            case "key" -> key = token == JsonToken.VALUE_STRING ? p.getText() : null;
            case "ts" -> {
              ts = token;
              if (token == JsonToken.VALUE_STRING) {
                tsText = p.getText();
              } else if (token == JsonToken.VALUE_NUMBER_INT) {
                // As JsonNode.longValue(): a too-large integer keeps its low 64 bits.
                tsNumber =
                    p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? p.getBigIntegerValue().longValue()
                        : p.getLongValue();
              }
            }
            case "value" -> {
              value = token;
              if (token.isNumeric()) {
                valueNumber = p.getDoubleValue();
              }
            }
            default -> p.skipChildren();
          }
        }
        if (field != JsonToken.END_OBJECT) {
          return null;
        }
      } catch (IOException | RuntimeException malformed) {
        return null;
      }
      if (id == null || id.isEmpty() || key == null || key.isEmpty()) {
        return null;
      }
      if (value == null || !value.isNumeric() || !Double.isFinite(valueNumber)) {
        return null;
      }
      Event e = new Event();
      if (ts == JsonToken.VALUE_NUMBER_INT) {
        e.ts = tsNumber;
      } else if (ts == JsonToken.VALUE_STRING) {
        try {
          e.ts = epochMillis(tsText);
        } catch (DateTimeException bad) {
          return null;
        }
      } else {
        return null;
      }
      e.id = id;
      e.key = key;
      e.value = valueNumber;
      return e;
    }

    /**
     * {@code OffsetDateTime.parse(text)} in epoch millis, with a fast path for the UTC form with
     * milliseconds that the generator and most producers write ({@code 2026-01-01T00:00:03.250Z}).
     * Anything else goes the general way. Like the (strict) ISO parser, it refuses a day the month
     * does not have: {@code LocalDate.of} throws {@link DateTimeException}.
     */
    static long epochMillis(String text) {
      if (text.length() == 24
          && text.charAt(4) == '-'
          && text.charAt(7) == '-'
          && text.charAt(10) == 'T'
          && text.charAt(13) == ':'
          && text.charAt(16) == ':'
          && text.charAt(19) == '.'
          && text.charAt(23) == 'Z') {
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int millis = digits(text, 20, 23);
        if (year >= 0
            && month >= 1
            && month <= 12
            && day >= 1
            && day <= 31
            && hour >= 0
            && hour <= 23
            && minute >= 0
            && minute <= 59
            && second >= 0
            && second <= 59
            && millis >= 0) {
          long days = LocalDate.of(year, month, day).toEpochDay();
          return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
        }
      }
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    }

    /** The decimal number in {@code text[from, to)}, or -1 if a character is not a digit. */
    private static int digits(String text, int from, int to) {
      int n = 0;
      for (int i = from; i < to; i++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        n = n * 10 + (c - '0');
      }
      return n;
    }
  }

  /**
   * The dedup's TTL rule, as in {@link PlainJavaRollup}, emitting what passes as a one-event row.
   * In batch mode an id's events arrive together, in event-time order, and its state is dropped
   * when the next id begins, so no timer is needed to expire it.
   */
  private static final class DedupFn
      extends KeyedProcessFunction<
          String, Event, Tuple6<String, Long, Long, Double, Double, Double>> {
    private transient ValueState<Long> anchor;
    private transient Tuple6<String, Long, Long, Double, Double, Double> row;

    @Override
    public void open(Configuration parameters) {
      anchor = getRuntimeContext().getState(new ValueStateDescriptor<>("anchor", Types.LONG));
      row = new Tuple6<>();
    }

    @Override
    public void processElement(
        Event e, Context context, Collector<Tuple6<String, Long, Long, Double, Double, Double>> out)
        throws Exception {
      Long seen = anchor.value();
      if (seen != null && Math.abs(e.ts - seen) < RollupLogic.DEDUP_TTL_MILLIS) {
        return;
      }
      anchor.update(seen == null ? e.ts : Math.max(seen, e.ts));
      // Object reuse: the pre-aggregation copies what it keeps.
      row.setFields(e.key, RollupLogic.windowStart(e.ts), 1L, e.value, e.value, e.value);
      out.collect(row);
    }
  }

  /**
   * Combines rows of the same key and window within a subtask before the shuffle; sends them on
   * when it holds {@code maxEntries} and at the end of the input. Plain operator memory, not
   * checkpointed: in batch mode a failed task reruns from its input.
   */
  private static final class PreAggregateOperator
      extends AbstractStreamOperator<Tuple6<String, Long, Long, Double, Double, Double>>
      implements OneInputStreamOperator<
              Tuple6<String, Long, Long, Double, Double, Double>,
              Tuple6<String, Long, Long, Double, Double, Double>>,
          BoundedOneInput {
    private final int maxEntries;
    private transient Map<Tuple2<String, Long>, double[]> partial;
    private transient StreamRecord<Tuple6<String, Long, Long, Double, Double, Double>> record;

    PreAggregateOperator(int maxEntries) {
      this.maxEntries = maxEntries;
    }

    @Override
    public void open() throws Exception {
      super.open();
      partial = new HashMap<>();
      record = new StreamRecord<>(new Tuple6<>());
    }

    @Override
    public void processElement(
        StreamRecord<Tuple6<String, Long, Long, Double, Double, Double>> element) {
      Tuple6<String, Long, Long, Double, Double, Double> r = element.getValue();
      double[] a =
          partial.computeIfAbsent(
              Tuple2.of(r.f0, r.f1),
              k -> new double[] {0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
      a[0] += r.f2;
      a[1] += r.f3;
      a[2] = Math.min(a[2], r.f4);
      a[3] = Math.max(a[3], r.f5);
      if (partial.size() >= maxEntries) {
        flush();
      }
    }

    @Override
    public void endInput() {
      flush();
    }

    private void flush() {
      Tuple6<String, Long, Long, Double, Double, Double> out = record.getValue();
      for (Map.Entry<Tuple2<String, Long>, double[]> e : partial.entrySet()) {
        double[] a = e.getValue();
        out.setFields(e.getKey().f0, e.getKey().f1, (long) a[0], a[1], a[2], a[3]);
        output.collect(record);
      }
      partial.clear();
    }
  }

  /** count, sum, min, max of two rows of one key and window. */
  private static final class MergeFn
      implements ReduceFunction<Tuple6<String, Long, Long, Double, Double, Double>> {
    @Override
    public Tuple6<String, Long, Long, Double, Double, Double> reduce(
        Tuple6<String, Long, Long, Double, Double, Double> a,
        Tuple6<String, Long, Long, Double, Double, Double> b) {
      return Tuple6.of(
          a.f0, a.f1, a.f2 + b.f2, a.f3 + b.f3, Math.min(a.f4, b.f4), Math.max(a.f5, b.f5));
    }
  }
}
