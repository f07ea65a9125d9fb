package dev.streamfirst.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SecretReferencesTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static final Map<String, String> ENV = Map.of("KAFKA_PASSWORD", "pa$$ \\w0rd");

  @Test
  public void envReference_isReplacedByTheVariable_evenWithDollarsAndBackslashes() {
    assertEquals(
        "username=\"u\" password=\"pa$$ \\w0rd\";",
        SecretReferences.resolve("username=\"u\" password=\"${env:KAFKA_PASSWORD}\";", ENV::get));
  }

  @Test
  public void fileReference_isTheFileWithoutItsFinalLineBreak() throws IOException {
    Path file = folder.newFile().toPath();
    Files.writeString(file, "s3cret\n", StandardCharsets.UTF_8);

    assertEquals("x:s3cret:y", SecretReferences.resolve("x:${file:" + file + "}:y"));
  }

  @Test
  public void textWithoutReferences_isUnchanged() {
    assertEquals(
        "plain ${notone} $ {env:X}", SecretReferences.resolve("plain ${notone} $ {env:X}"));
    assertFalse(SecretReferences.hasReference("plain ${notone}"));
    assertTrue(SecretReferences.hasReference("a${env:X}b"));
  }

  @Test
  public void realEnvironment_isRead() {
    String path = System.getenv("PATH");

    assertEquals(path, SecretReferences.resolve("${env:PATH}"));
  }

  @Test
  public void unsetVariable_failsNamingItAndWhereToSetIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SecretReferences.resolve("${env:NO_SUCH_VAR_1234}", ENV::get));

    assertThat(e.getMessage(), containsString("environment variable NO_SUCH_VAR_1234 is not set"));
    assertThat(e.getMessage(), containsString("workers"));
  }

  @Test
  public void missingOrRelativeFile_failsNamingThePath() {
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> SecretReferences.resolve("${file:/no/such/secret}"));
    IllegalArgumentException relative =
        assertThrows(
            IllegalArgumentException.class, () -> SecretReferences.resolve("${file:secret.txt}"));

    assertThat(missing.getMessage(), containsString("${file:/no/such/secret}: the file does not"));
    assertThat(relative.getMessage(), containsString("must name an absolute path"));
  }

  @Test
  public void inUrl_theSecretIsPercentEncoded() throws IOException {
    Path file = folder.newFile().toPath();
    Files.writeString(file, "a&b=c d", StandardCharsets.UTF_8);

    assertEquals(
        "jdbc:postgresql://db/app?user=u&password=a%26b%3Dc%20d",
        SecretReferences.resolveInUrl(
            "jdbc:postgresql://db/app?user=u&password=${file:" + file + "}"));
  }

  @Test
  public void resolvedMap_keepsOrder_andErrorsNeverShowASecret() throws IOException {
    Path file = folder.newFile().toPath();
    Files.writeString(file, "topsecret", StandardCharsets.UTF_8);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("b", "${file:" + file + "}");
    settings.put("a", "plain");

    assertEquals("{b=topsecret, a=plain}", SecretReferences.resolve(settings).toString());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SecretReferences.resolve("${file:" + file + "} ${env:NOPE_NOT_SET_42}"));
    assertThat(e.getMessage(), not(containsString("topsecret")));
  }
}
