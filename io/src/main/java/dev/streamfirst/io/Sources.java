package dev.streamfirst.io;

import dev.streamfirst.io.file.FileSource;
import dev.streamfirst.io.generator.GenerateEvents;
import dev.streamfirst.io.generator.GeneratorSpec;
import dev.streamfirst.io.kafka.KafkaSource;
import dev.streamfirst.io.pubsub.PubsubSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Turns a source URI into a transform that yields raw payload texts, one message per element.
 * Parsing them into events is a later step ({@code ParseEvents}).
 *
 * <p>The URI is checked completely here, when the pipeline is being built, so a launcher fails
 * before anything runs. Schemes: {@code file:///abs/dir/or/glob} (see {@link FileSource}), {@code
 * generator://events?...} (see {@link GeneratorSpec}), {@code kafka://host:port/topic?...} (see
 * {@link KafkaSource}) and {@code pubsub://projects/p/subscriptions/s} (see {@link PubsubSource}).
 * Error messages never show secret values (see {@link Secrets}).
 *
 * <pre>{@code
 * PCollection<String> payloads = p.apply("Read", Sources.read(options.getSource()));
 * }</pre>
 */
public final class Sources {
  /** Valid source URIs, for help texts and error messages. */
  public static final String EXAMPLES =
      FileSource.EXAMPLE
          + ", "
          + GeneratorSpec.EXAMPLE
          + " (bounded) or generator://events?rate=100 (unbounded), "
          + KafkaSource.EXAMPLE
          + " (live) or "
          + KafkaSource.EXAMPLE
          + "?until=end (replay) or "
          + PubsubSource.EXAMPLE;

  // One entry per scheme; a new source is one more line.
  private static final Map<String, Function<IoUri, PTransform<PBegin, PCollection<String>>>>
      SCHEMES = new LinkedHashMap<>();

  static {
    SCHEMES.put(FileSource.SCHEME, FileSource::fromUri);
    SCHEMES.put(GeneratorSpec.SCHEME, uri -> GenerateEvents.from(GeneratorSpec.fromUri(uri)));
    SCHEMES.put(PubsubSource.SCHEME, PubsubSource::fromUri);
    SCHEMES.put(KafkaSource.SCHEME, KafkaSource::fromUri);
  }

  private Sources() {}

  /**
   * The source for {@code uri}.
   *
   * @throws IllegalArgumentException naming the wrong part of the URI and showing a valid one
   */
  public static PTransform<PBegin, PCollection<String>> read(String uri) {
    IoUri parsed;
    try {
      parsed = IoUri.parse(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + "; use " + EXAMPLES, e);
    }
    Function<IoUri, PTransform<PBegin, PCollection<String>>> factory = SCHEMES.get(parsed.scheme());
    if (factory == null) {
      throw new IllegalArgumentException(
          "unknown source scheme '" + parsed.scheme() + "' in '" + parsed + "'; use " + EXAMPLES);
    }
    return factory.apply(parsed);
  }
}
