package dev.streamfirst.io;

import dev.streamfirst.io.console.ConsoleSink;
import dev.streamfirst.io.file.FileSink;
import dev.streamfirst.io.kafka.KafkaSink;
import dev.streamfirst.io.postgres.PostgresSink;
import dev.streamfirst.io.pubsub.PubsubSink;
import dev.streamfirst.io.redis.RedisSink;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Turns a sink URI into a transform that writes texts, one per element (JSON objects, as the
 * pipelines produce them).
 *
 * <p>The URI is checked completely here, when the pipeline is being built, so a launcher fails
 * before anything runs. Schemes: {@code file:///abs/dir} (JSON-lines files, bounded or unbounded
 * input, see {@link FileSink}), {@code console://} (stdout, for people), {@code
 * kafka://host:port/topic?...} (records keyed by a JSON field, see {@link KafkaSink}), {@code
 * pubsub://projects/p/topics/t} ({@link PubsubSink}), {@code jdbc:postgresql://...} (upserts,
 * {@link PostgresSink}) and {@code redis://...} (the latest row per key, {@link RedisSink}).
 *
 * <pre>{@code
 * rows.apply("Write", Sinks.write(options.getSink()));
 * }</pre>
 */
public final class Sinks {
  /** Valid sink URIs, for help texts and error messages. */
  public static final String EXAMPLES =
      FileSink.EXAMPLE
          + ", "
          + ConsoleSink.EXAMPLE
          + ", "
          + KafkaSink.EXAMPLE
          + ", "
          + PubsubSink.EXAMPLE
          + ", "
          + PostgresSink.EXAMPLE
          + " or "
          + RedisSink.EXAMPLE;

  // One entry per scheme; a new sink is one more line.
  private static final Map<String, Function<IoUri, PTransform<PCollection<String>, PDone>>>
      SCHEMES = new LinkedHashMap<>();

  static {
    SCHEMES.put(FileSink.SCHEME, FileSink::fromUri);
    SCHEMES.put(ConsoleSink.SCHEME, ConsoleSink::fromUri);
    SCHEMES.put(PubsubSink.SCHEME, PubsubSink::fromUri);
    SCHEMES.put(PostgresSink.SCHEME, PostgresSink::fromUri);
    SCHEMES.put(RedisSink.SCHEME, RedisSink::fromUri);
    SCHEMES.put(RedisSink.TLS_SCHEME, RedisSink::fromUri);
    SCHEMES.put(KafkaSink.SCHEME, KafkaSink::fromUri);
  }

  private Sinks() {}

  /**
   * The sink for {@code uri}.
   *
   * @throws IllegalArgumentException naming the wrong part of the URI and showing a valid one
   */
  public static PTransform<PCollection<String>, PDone> write(String uri) {
    IoUri parsed;
    try {
      parsed = IoUri.parse(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + "; use " + EXAMPLES, e);
    }
    Function<IoUri, PTransform<PCollection<String>, PDone>> factory = SCHEMES.get(parsed.scheme());
    if (factory == null) {
      throw new IllegalArgumentException(
          "unknown sink scheme '" + parsed.scheme() + "' in '" + parsed + "'; use " + EXAMPLES);
    }
    return factory.apply(parsed);
  }

  /**
   * Whether the sink of {@code uri} promises exactly-once delivery, which only some runners can
   * keep (e.g. {@code kafka://...?delivery=exactly-once}); a launcher refuses such a sink on other
   * runners before anything runs.
   *
   * @throws IllegalArgumentException as {@link #write} for a bad URI
   */
  public static boolean requiresExactlyOnce(String uri) {
    PTransform<PCollection<String>, PDone> sink = write(uri);
    return sink instanceof KafkaSink && ((KafkaSink) sink).requiresExactlyOnce();
  }
}
