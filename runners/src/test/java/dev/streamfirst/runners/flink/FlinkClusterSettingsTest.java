package dev.streamfirst.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.Test;

public class FlinkClusterSettingsTest {
  private static final FlinkClusterSettings DEFAULTS =
      FlinkClusterSettings.in(Path.of("/tmp/home"), Path.of("/tmp/lib"));

  @Test
  public void defaults_areFlinksPorts_andAFolderPerCluster() {
    assertEquals(8081, DEFAULTS.restPort());
    assertEquals(6123, DEFAULTS.rpcPort());
    assertEquals(Path.of("/tmp/home"), DEFAULTS.home());
    assertEquals(Map.of(), DEFAULTS.config());
  }

  @Test
  public void withX_returnsChangedCopies() {
    FlinkClusterSettings changed =
        DEFAULTS.withRestPort(8082).withSlots(4).withConfig("state.backend.type", "rocksdb");

    assertEquals(8082, changed.restPort());
    assertEquals(4, changed.slots());
    assertEquals(Map.of("state.backend.type", "rocksdb"), changed.config());
    assertEquals(8081, DEFAULTS.restPort());
  }

  @Test
  public void badValues_areRefused_namingTheMethod() {
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withRestPort(70000))
            .getMessage(),
        containsString("withRestPort() must be a TCP port in 1..65535, got 70000"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withSlots(0)).getMessage(),
        containsString("withSlots() must be at least 1, got 0"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withConfig(" ", "x"))
            .getMessage(),
        containsString("withConfig() needs a key and a value"));
  }
}
