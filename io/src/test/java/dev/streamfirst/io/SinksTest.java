package dev.streamfirst.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.io.console.ConsoleSink;
import dev.streamfirst.io.file.FileSink;
import dev.streamfirst.io.postgres.PostgresSink;
import dev.streamfirst.io.pubsub.PubsubSink;
import dev.streamfirst.io.redis.RedisSink;
import java.util.List;
import org.junit.Test;

public class SinksTest {

  private static IllegalArgumentException refused(String uri) {
    return assertThrows(IllegalArgumentException.class, () -> Sinks.write(uri));
  }

  @Test
  public void unknownScheme_namesItAndShowsExamples() {
    IllegalArgumentException e = refused("consol://");

    assertThat(e.getMessage(), containsString("unknown sink scheme 'consol' in 'consol://'"));
    assertThat(e.getMessage(), containsString("file:///abs/dir"));
    assertThat(e.getMessage(), containsString("console://"));
    for (String scheme : List.of("kafka://", "pubsub://", "jdbc:postgresql://", "redis://")) {
      assertThat(e.getMessage(), containsString(scheme));
    }
  }

  @Test
  public void sourceOnlyScheme_isNotASink() {
    IllegalArgumentException e = refused("generator://events?count=5");

    assertThat(e.getMessage(), containsString("unknown sink scheme 'generator'"));
  }

  @Test
  public void console_acceptsBothForms() {
    assertThat(Sinks.write("console://"), instanceOf(ConsoleSink.class));
    assertThat(Sinks.write("console:"), instanceOf(ConsoleSink.class));
  }

  @Test
  public void consoleWithPath_isRefused() {
    IllegalArgumentException e = refused("console://stderr");

    assertThat(e.getMessage(), containsString("takes no host, path or query, got '//stderr'"));
    assertThat(e.getMessage(), containsString("use console://"));
  }

  @Test
  public void fileDirectory_isTakenWithoutTrailingSlash() {
    FileSink sink = (FileSink) Sinks.write("file:///data/out/");

    assertEquals("/data/out", sink.directory());
  }

  @Test
  public void relativeFileDirectory_isRefused() {
    IllegalArgumentException e = refused("file:out");

    assertThat(e.getMessage(), containsString("relative path 'out' in 'file:out'"));
    assertThat(e.getMessage(), containsString("file:///abs/dir"));
  }

  @Test
  public void globAsSinkDirectory_isRefused() {
    IllegalArgumentException e = refused("file:///data/out/*");

    assertThat(e.getMessage(), containsString("not a glob"));
  }

  @Test
  public void pathWithoutScheme_isRefused() {
    IllegalArgumentException e = refused("out/");

    assertThat(e.getMessage(), containsString("missing scheme in 'out/'"));
    assertThat(e.getMessage(), containsString("file:///abs/dir"));
  }

  @Test
  public void pubsubTopic_givesPubsubSink() {
    assertThat(
        Sinks.write("pubsub://projects/my-project/topics/rollup"), instanceOf(PubsubSink.class));
  }

  @Test
  public void postgresJdbcUrl_givesPostgresSink() {
    assertThat(
        Sinks.write("jdbc:postgresql://localhost:5432/metrics?table=rollup"),
        instanceOf(PostgresSink.class));
  }

  @Test
  public void redis_givesRedisSink() {
    assertThat(Sinks.write("redis://localhost:6379?prefix=rollup:"), instanceOf(RedisSink.class));
  }
}
