package dev.streamfirst.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;

public class SecretsTest {

  @Test
  public void namesWithASecretWord_inAnyCase_areSecret() {
    assertTrue(Secrets.isSecret("sasl.jaas.config"));
    assertTrue(Secrets.isSecret("ssl.keystore.password"));
    assertTrue(Secrets.isSecret("kafka.ssl.key.PASSWORD"));
    assertTrue(Secrets.isSecret("client.secret"));
    assertTrue(Secrets.isSecret("sasl.oauthbearer.token.endpoint.url"));
    assertFalse(Secrets.isSecret("security.protocol"));
    assertFalse(Secrets.isSecret(null));
  }

  @Test
  public void maskUri_masksOnlySecretQueryValues() {
    assertEquals(
        "kafka://b:9092/t?group=g&kafka.sasl.jaas.config=*****&kafka.ssl.key.password=*****&x",
        Secrets.maskUri(
            "kafka://b:9092/t?group=g&kafka.sasl.jaas.config=a%20b&kafka.ssl.key.password=pw&x"));
  }

  @Test
  public void maskUri_masksUserInfo() {
    assertEquals("kafka://*****@b:9092/t", Secrets.maskUri("kafka://user:pw@b:9092/t"));
  }

  @Test
  public void maskUri_leavesOrdinaryUrisAlone() {
    assertEquals("file:///data/in/?.jsonl", Secrets.maskUri("file:///data/in/?.jsonl"));
    assertEquals("generator://events?count=5", Secrets.maskUri("generator://events?count=5"));
    assertEquals("not a uri", Secrets.maskUri("not a uri"));
  }

  @Test
  public void ioUriToString_isMasked() {
    assertEquals(
        "kafka://b:9092/t?kafka.sasl.jaas.config=*****",
        IoUri.parse("kafka://b:9092/t?kafka.sasl.jaas.config=secret").toString());
  }

  @Test
  public void maskMap_keepsOrderAndMasksSecrets() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("security.protocol", "SASL_SSL");
    settings.put("sasl.jaas.config", "x");

    assertEquals(
        "{security.protocol=SASL_SSL, sasl.jaas.config=*****}", Secrets.mask(settings).toString());
  }

  @Test
  public void malformedQueryPart_thatLooksSecret_isNotEchoed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> IoUri.parse("kafka://b:9092/t?kafka.ssl.key.password").queryParameters());

    assertThat(e.getMessage(), containsString("query part '*****'"));
  }
}
