package dev.streamfirst.io.console;

import dev.streamfirst.io.IoUri;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Prints each element on its own line to the standard output of whichever process runs it: the
 * launching JVM on DirectRunner, the task managers' or workers' logs elsewhere. Meant for people
 * watching small outputs, not for data that must be kept; the order of lines is not defined.
 *
 * <pre>{@code
 * rows.apply("Print", ConsoleSink.create());
 * // or, from a URI option:
 * rows.apply("Print", Sinks.write("console://"));
 * }</pre>
 */
public final class ConsoleSink extends PTransform<PCollection<String>, PDone> {
  /** The URI scheme this sink answers to. */
  public static final String SCHEME = "console";

  /** A valid URI, for error messages. */
  public static final String EXAMPLE = "console://";

  public static ConsoleSink create() {
    return new ConsoleSink(null);
  }

  /**
   * Prints JSON objects with {@code "<field>":true} added as their first field, so that lines of
   * two kinds on one console stay apart: {@code console:} as {@code --deadLetter} prints {@code
   * {"dead_letter":true,"payload":...}} beside the rows, and {@code jq 'select(.dead_letter)'}
   * picks them out. A line that is not a JSON object is printed as it is.
   */
  public ConsoleSink markedWith(String field) {
    if (field == null || !field.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "markedWith() needs a plain field name, e.g. dead_letter, got " + field);
    }
    return new ConsoleSink(field);
  }

  /** The field added to every printed object, or null. */
  public String marker() {
    return marker;
  }

  /** Accepts {@code console://} and {@code console:}; the console has no host, path or options. */
  public static ConsoleSink fromUri(IoUri uri) {
    String body = uri.body();
    if (!body.isEmpty() && !body.equals("//")) {
      throw new IllegalArgumentException(
          "the console sink takes no host, path or query, got '"
              + body
              + "' in '"
              + uri
              + "'; use "
              + EXAMPLE);
    }
    return create();
  }

  private final @Nullable String marker;

  private ConsoleSink(@Nullable String marker) {
    this.marker = marker;
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    lines.apply("PrintLines", ParDo.of(new PrintLineFn(marker)));
    return PDone.in(lines.getPipeline());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.addIfNotNull(DisplayData.item("marker", marker).withLabel("Field marking each line"));
  }

  /** {@code line} with the marker field first, if it is a JSON object. */
  static String mark(@Nullable String marker, String line) {
    if (marker == null || !line.startsWith("{")) {
      return line;
    }
    String rest = line.substring(1).stripLeading();
    return "{\"" + marker + "\":true" + (rest.startsWith("}") ? "" : ",") + rest;
  }

  private static final class PrintLineFn extends DoFn<String, Void> {
    private final @Nullable String marker;

    PrintLineFn(@Nullable String marker) {
      this.marker = marker;
    }

    @ProcessElement
    public void process(@Element String line) {
      // System.out is looked up per element, not captured, so a redirected stdout is honoured.
      System.out.println(mark(marker, line));
    }
  }
}
