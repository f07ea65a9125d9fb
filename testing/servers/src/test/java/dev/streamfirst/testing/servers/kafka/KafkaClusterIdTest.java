package dev.streamfirst.testing.servers.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.Test;

/** Cluster ids the storage tool accepts: never one it would read as an option. */
public class KafkaClusterIdTest {
  @Test
  public void ids_areKafkasShape_andNeverStartWithADash() {
    Set<String> seen = new HashSet<>();
    // About one random id in 64 starts with '-', so 5,000 would all but surely include some.
    for (int i = 0; i < 5_000; i++) {
      String id = KafkaBroker.clusterId();
      assertEquals(id, 22, id.length());
      assertTrue(id, id.matches("[A-Za-z0-9_-]+"));
      assertFalse(id, id.startsWith("-"));
      seen.add(id);
    }
    assertEquals(5_000, seen.size());
  }
}
