package dev.streamfirst.io.console;

import dev.streamfirst.io.IoUri;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

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
    return new ConsoleSink();
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

  private ConsoleSink() {}

  @Override
  public PDone expand(PCollection<String> lines) {
    lines.apply("PrintLines", ParDo.of(new PrintLineFn()));
    return PDone.in(lines.getPipeline());
  }

  private static final class PrintLineFn extends DoFn<String, Void> {
    @ProcessElement
    public void process(@Element String line) {
      // System.out is looked up per element, not captured, so a redirected stdout is honoured.
      System.out.println(line);
    }
  }
}
