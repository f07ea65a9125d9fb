package dev.streamfirst.runners.flink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

public class TestClusterSettingsTest {
  @Test
  public void forTests_twoSlotsNoRestarts_roomInMetaspace_onFreeLoopbackPorts() throws Exception {
    FlinkClusterSettings settings =
        FlinkClusterSettings.forTests(Path.of("/tmp/cluster-1"), Path.of("/tmp/lib"));
    Map<String, String> config = FlinkSessionCluster.configuration(settings);

    assertEquals(2, settings.slots());
    assertEquals("localhost", settings.host());
    assertEquals("none", config.get("restart-strategy.type"));
    assertEquals("768m", config.get("taskmanager.memory.jvm-metaspace.size"));
    assertEquals("2560m", config.get("taskmanager.memory.process.size"));
    Set<Integer> ports = Set.of(settings.restPort(), settings.rpcPort(), settings.metricsPort());
    assertEquals("distinct ports " + ports, 3, ports.size());
    assertNotEquals(FlinkClusterSettings.DEFAULT_REST_PORT, settings.restPort());
  }
}
