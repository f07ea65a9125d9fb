package dev.streamfirst.pipelines.rollup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.pipelines.options.InvalidOptionsException;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

/** Kafka URIs given to the rollup: refused before anything runs, never echoing a secret. */
public class RollupKafkaOptionsTest {
  private static final String JAAS = "kafka.sasl.jaas.config=PlainLoginModule%20password%3Dhunter2";

  private static InvalidOptionsException refused(String... args) {
    RollupOptions options = PipelineOptionsFactory.fromArgs(args).as(RollupOptions.class);
    return assertThrows(InvalidOptionsException.class, () -> RollupPipeline.create(options));
  }

  @Test
  public void badKafkaUris_areNamedWithTheWrongPartAndAValidExample_withoutSecrets() {
    InvalidOptionsException e =
        refused(
            "--source=kafka://b:9092/events?until=tomorrow&" + JAAS,
            "--sink=kafka://b:9092/rows?delivery=twice&" + JAAS,
            "--deadLetter=kafka://b:9092?" + JAAS);

    assertEquals(3, e.problems().size());
    assertThat(e.getMessage(), containsString("--source=kafka://b:9092/events?until=tomorrow"));
    assertThat(e.getMessage(), containsString("must be end or an ISO-8601 instant"));
    assertThat(e.getMessage(), containsString("kafka://localhost:9092/events?until=end"));
    assertThat(e.getMessage(), containsString("must be at-least-once or exactly-once"));
    assertThat(e.getMessage(), containsString("--deadLetter=kafka://b:9092?"));
    assertThat(e.getMessage(), containsString("names no topic"));
    assertThat(e.getMessage(), containsString("kafka.sasl.jaas.config=*****"));
    assertThat(e.getMessage(), not(containsString("hunter2")));
  }

  @Test
  public void unknownSourceScheme_listsKafkaAmongTheExamples() {
    InvalidOptionsException e = refused("--source=kafak://b:9092/events?" + JAAS);

    assertThat(e.getMessage(), containsString("unknown source scheme 'kafak'"));
    assertThat(e.getMessage(), containsString("kafka://localhost:9092/events?until=end"));
    assertThat(e.getMessage(), not(containsString("hunter2")));
  }
}
