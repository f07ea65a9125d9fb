package dev.streamfirst.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.streamfirst.io.generator.EventGenerator;
import dev.streamfirst.io.generator.GeneratorSpec;
import dev.streamfirst.transforms.events.EventFields;
import dev.streamfirst.transforms.events.EventParser;
import dev.streamfirst.transforms.events.InvalidEventException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.util.RowJson;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * How fast one thread turns payloads into events: {@link EventParser} (every check, exact reasons
 * for dead letters) against what the rollup's built-ins variant does per line — Beam's {@code
 * RowJson} deserializer, as {@code JsonToRow} uses it, then Joda's {@code Instant.parse} for the
 * event time — and against Jackson's {@code readTree} alone, the cost of merely reading the JSON
 * into a tree. Same generated input as the rollup benchmark; rounds alternate between the variants
 * so that a machine that slows down slows all of them.
 *
 * <pre>{@code
 * benchmarks/parse.sh [events] [rounds]      # defaults: 1000000 5
 * }</pre>
 */
public final class ParseBenchmark {
  private ParseBenchmark() {}

  /** One variant's result: how many payloads it accepted, and its best rate. */
  record Result(String variant, long valid, double payloadsPerSecond) {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Result> results = run(events, rounds, System.out);
    System.out.println();
    System.out.println("| variant | valid events | best payloads/s | × ours |");
    System.out.println("|---|---:|---:|---:|");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %,d | %,.0f | %.2f |%n",
          r.variant(),
          r.valid(),
          r.payloadsPerSecond(),
          r.payloadsPerSecond() / results.get(0).payloadsPerSecond());
    }
  }

  /** Parses the generated payloads with every variant; ours comes first. */
  static List<Result> run(int events, int rounds, PrintStream log) throws Exception {
    String uri =
        "generator://events?count="
            + events
            + "&keys=10000&duplicates=0.05&malformed=0.01&disorder=5s&seed=42";
    List<String> payloads = new ArrayList<>();
    new EventGenerator(GeneratorSpec.parse(uri)).payloads().forEach(payloads::add);

    EventParser ours = new EventParser(EventFields.defaults());
    ObjectMapper beam =
        new ObjectMapper()
            .registerModule(
                new SimpleModule()
                    .addDeserializer(
                        Row.class,
                        RowJson.RowJsonDeserializer.forSchema(BeamBuiltInsRollup.EVENT)));
    ObjectMapper tree = new ObjectMapper();

    String[] names = {
      "EventParser.parse (ours)",
      "RowJson + Instant.parse (built-ins)",
      "ObjectMapper.readTree alone"
    };
    double[] best = new double[names.length];
    long[] valid = new long[names.length];
    log.printf(Locale.ROOT, "%s: %,d payloads, %d rounds%n", uri, payloads.size(), rounds);
    for (int round = 0; round <= rounds; round++) {
      for (int v = 0; v < names.length; v++) {
        long start = System.nanoTime();
        long ok = 0;
        for (String payload : payloads) {
          ok += parse(v, payload, ours, beam, tree) ? 1 : 0;
        }
        double perSecond = payloads.size() / ((System.nanoTime() - start) / 1e9);
        valid[v] = ok;
        // Round 0 warms the JIT up and does not count.
        if (round > 0) {
          best[v] = Math.max(best[v], perSecond);
        }
      }
    }
    List<Result> results = new ArrayList<>();
    for (int v = 0; v < names.length; v++) {
      results.add(new Result(names[v], valid[v], best[v]));
    }
    return results;
  }

  private static boolean parse(
      int variant, String payload, EventParser ours, ObjectMapper beam, ObjectMapper tree) {
    try {
      return switch (variant) {
        case 0 -> ours.parse(payload) != null;
        case 1 -> {
          Row row = beam.readValue(payload, Row.class);
          yield Instant.parse(row.getString("ts")).getMillis() != Long.MIN_VALUE;
        }
        default -> tree.readTree(payload).isObject();
      };
    } catch (InvalidEventException | RuntimeException | java.io.IOException e) {
      return false;
    }
  }
}
