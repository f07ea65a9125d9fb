package dev.streamfirst.testing.flink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ClusterLibrariesTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void list_namesFlinksRuntimeAndALog4jBinding_relativeToTheRepository() {
    List<String> listed = ClusterLibraries.listed();
    assertTrue(listed.toString(), listed.stream().allMatch(e -> e.startsWith("M2_REPO")));
    assertTrue(listed.toString(), listed.stream().anyMatch(e -> e.contains("flink-runtime-1")));
    assertTrue(listed.toString(), listed.stream().anyMatch(e -> e.contains("log4j-slf4j2-impl")));
  }

  @Test
  public void jars_comeFromTheFirstRepositoryThatHoldsAllOfThem() throws Exception {
    Path partial = folder.newFolder("partial").toPath();
    Path complete = folder.newFolder("complete").toPath();
    List<String> listed = List.of("M2_REPO/a/a.jar", "M2_REPO/b/b.jar");
    touch(partial.resolve("a/a.jar"));
    touch(complete.resolve("a/a.jar"));
    touch(complete.resolve("b/b.jar"));

    assertEquals(
        List.of(complete.resolve("a/a.jar"), complete.resolve("b/b.jar")),
        ClusterLibraries.jars(listed, List.of(partial, complete)));
  }

  @Test
  public void jars_missingEverywhere_saysHowToGetThem() throws Exception {
    Path empty = folder.newFolder("empty").toPath();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ClusterLibraries.jars(List.of("M2_REPO/a/a.jar"), List.of(empty)));
    assertTrue(e.getMessage(), e.getMessage().contains(empty.resolve("a/a.jar").toString()));
    assertTrue(e.getMessage(), e.getMessage().contains("mvn -B install -DskipTests"));
    assertTrue(e.getMessage(), e.getMessage().contains("-Dstreamfirst.m2.repository"));
  }

  private static void touch(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    Files.createFile(file);
  }
}
