package dev.streamfirst.io.redis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.streamfirst.io.IoUri;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.Test;

public class RedisSinkTest {

  private static RedisSink sink(String uri) {
    return RedisSink.fromUri(IoUri.parse(uri));
  }

  private static IllegalArgumentException refused(String uri) {
    return assertThrows(IllegalArgumentException.class, () -> sink(uri));
  }

  @Test
  public void hostPortAndPrefix() {
    RedisSink sink = sink("redis://cache.internal:6380?prefix=live:rollup:");

    assertEquals("cache.internal", sink.host());
    assertEquals(6380, sink.port());
    assertEquals("live:rollup:", sink.prefix());
    assertNull(sink.password());
  }

  @Test
  public void defaults_port6379_prefixRollup() {
    RedisSink sink = sink("redis://cache.internal/");

    assertEquals(6379, sink.port());
    assertEquals("rollup:", sink.prefix());
  }

  @Test
  public void emptyPrefix_isAllowed() {
    assertEquals("", sink("redis://localhost:6379?prefix=").prefix());
  }

  @Test
  public void ipv6Host() {
    RedisSink sink = sink("redis://[::1]:7000");

    assertEquals("::1", sink.host());
    assertEquals(7000, sink.port());
  }

  @Test
  public void password_isReadButNeverShown() {
    RedisSink sink = sink("redis://:topsecret@localhost:6379");

    assertEquals("topsecret", sink.password());
    assertThat(sink.toString(), not(containsString("topsecret")));
    assertThat(DisplayData.from(sink).toString(), not(containsString("topsecret")));
    assertThat(DisplayData.from(sink).toString(), containsString("localhost:6379"));
  }

  @Test
  public void userWithoutPassword_isRefusedNamingTheForm() {
    IllegalArgumentException e = refused("redis://admin@localhost:6379");

    assertThat(e.getMessage(), containsString("redis://user:password@host:port"));
  }

  @Test
  public void passwordAsAQueryParameter_mayBeAFileReference() {
    RedisSink sink = sink("rediss://writer@localhost:6380?password=${file:/run/secrets/redis}");

    assertEquals("writer", sink.user());
    assertEquals("${file:/run/secrets/redis}", sink.password());
  }

  @Test
  public void aclUserAndTls_areRead_andThePasswordNeverShown() {
    RedisSink sink =
        sink("rediss://writer:topsecret@cache.internal:6380?prefix=p:&cacert=/etc/ca.pem");

    assertEquals("writer", sink.user());
    assertEquals("topsecret", sink.password());
    assertTrue(sink.tls());
    assertEquals("/etc/ca.pem", sink.caCertificate());
    assertEquals("p:", sink.prefix());
    assertEquals(6380, sink.port());
    assertThat(sink.toString(), containsString("tls, writer@cache.internal:6380"));
    assertThat(sink.toString(), not(containsString("topsecret")));
    assertThat(DisplayData.from(sink).toString(), not(containsString("topsecret")));
  }

  @Test
  public void plainScheme_isNotTls() {
    RedisSink sink = sink("redis://writer:pw@localhost:6379");

    assertFalse(sink.tls());
    assertEquals("writer", sink.user());
  }

  @Test
  public void caCertificateWithoutTls_isRefusedNamingRediss() {
    IllegalArgumentException e = refused("redis://:secret@localhost:6379?cacert=/etc/ca.pem");

    assertThat(e.getMessage(), containsString("use rediss://localhost:6379"));
    assertThat(e.getMessage(), not(containsString("secret")));
  }

  @Test
  public void badPort_isNamed() {
    IllegalArgumentException e = refused("redis://localhost:99999");

    assertThat(e.getMessage(), containsString("port '99999'"));
    assertThat(e.getMessage(), containsString("e.g. " + RedisSink.EXAMPLE));
  }

  @Test
  public void path_isRefused() {
    IllegalArgumentException e = refused("redis://localhost:6379/2");

    assertThat(e.getMessage(), containsString("has a path '/2'"));
  }

  @Test
  public void unknownParameter_isNamed() {
    IllegalArgumentException e = refused("redis://localhost?ttl=1h");

    assertThat(e.getMessage(), containsString("unknown Redis sink parameter(s) [ttl]"));
  }

  @Test
  public void noHost_isRefused() {
    IllegalArgumentException e = refused("redis://?prefix=x");

    assertThat(e.getMessage(), containsString("names no host"));
  }
}
