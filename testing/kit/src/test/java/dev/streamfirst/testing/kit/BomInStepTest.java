package dev.streamfirst.testing.kit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * The BOM has no parent (so users import only its pins), so its versions are written twice: this
 * keeps them equal to the parent's, which the build and its tests use.
 */
public class BomInStepTest {
  private static final Path ROOT = Path.of("../..");

  @Test
  public void bomPins_equalTheParentsVersions() throws Exception {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
    for (String property :
        List.of(
            "beam.version",
            "kafka.version",
            "jackson.version",
            "junit.version",
            "junit-jupiter.version")) {
      assertEquals(
          "bom/pom.xml's " + property + " must equal the parent's",
          property(parent, property),
          property(bom, property));
    }
    assertEquals(
        "bom/pom.xml's streamfirst.version must be the project's version",
        firstVersion(parent),
        property(bom, "streamfirst.version"));
    assertEquals("the BOM's own version", firstVersion(parent), firstVersion(bom));
  }

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertNotNull(name + " missing", m.find() ? m.group(1) : null);
    return m.group(1);
  }

  /** The project's own version: the first version after its artifactId. */
  private static String firstVersion(String pom) {
    Matcher m =
        Pattern.compile("<artifactId>streamfirst-(?:parent|bom)</artifactId>\\s*<version>([^<]+)<")
            .matcher(pom);
    assertNotNull("version missing", m.find() ? m.group(1) : null);
    return m.group(1);
  }
}
