package dev.streamfirst.testing.flink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

// The other JVM's cluster is gone before this JVM starts its own: two at once need 7 GB.
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class FlinkTestClusterIT {
  @Test
  public void a_clusterOfAJvm_isStoppedWhenThatJvmExits() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String property :
        List.of(
            FlinkTestCluster.HOME_PROPERTY,
            ClusterLibraries.REPOSITORY_PROPERTY,
            ClusterLibraries.LIB_PROPERTY,
            "maven.repo.local")) {
      String value = System.getProperty(property);
      if (value != null) {
        command.add("-D" + property + "=" + value);
      }
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), ClusterOfAJvm.class.getName()));
    Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(output, jvm.waitFor(5, TimeUnit.MINUTES));
    assertEquals(output, 0, jvm.exitValue());

    String pids = line(output, "pids=");
    Path home = Path.of(line(output, "home="));
    List<ProcessHandle> processes = new ArrayList<>();
    for (String pid : pids.split(",")) {
      ProcessHandle.of(Long.parseLong(pid)).ifPresent(processes::add);
    }
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (processes.stream().anyMatch(ProcessHandle::isAlive)
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    assertFalse(
        "the JobManager or TaskManager " + pids + " outlived the JVM that started it",
        processes.stream().anyMatch(ProcessHandle::isAlive));
    assertFalse(
        "the cluster's state file is left behind",
        Files.exists(home.resolve("cluster.properties")));
  }

  @Test
  public void b_shared_isOneClusterForTheJvm_withATaskManagerOfTwoSlots() {
    FlinkTestCluster cluster = FlinkTestCluster.shared();
    assertSame(cluster, FlinkTestCluster.shared());

    JsonNode overview = cluster.session().overview().orElseThrow();
    assertEquals(overview.toString(), 1, overview.path("taskmanagers").asInt());
    assertEquals(overview.toString(), 2, overview.path("slots-total").asInt());
    assertEquals(2, cluster.slots());
    assertEquals("localhost:" + cluster.restUri().getPort(), cluster.master());
    assertTrue(cluster.session().isAlive());
  }

  private static String line(String output, String prefix) {
    return output
        .lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' in:\n" + output));
  }
}
