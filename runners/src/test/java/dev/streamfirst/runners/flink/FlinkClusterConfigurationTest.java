package dev.streamfirst.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.Test;

/** The Flink configuration each host of a cluster gets, on one machine and across hosts. */
public class FlinkClusterConfigurationTest {
  private static final FlinkClusterSettings LOCAL =
      FlinkClusterSettings.in(Path.of("/srv/flink"), Path.of("/opt/lib"));

  @Test
  public void oneMachine_everythingOnLocalhost_stateInTheFolder() {
    Map<String, String> config = FlinkSessionCluster.configuration(LOCAL);

    for (String key :
        new String[] {
          "jobmanager.rpc.address",
          "jobmanager.bind-host",
          "rest.address",
          "rest.bind-address",
          "taskmanager.host",
          "taskmanager.bind-host"
        }) {
      assertEquals(key, "localhost", config.get(key));
    }
    assertEquals("6123", config.get("jobmanager.rpc.port"));
    assertEquals("8081", config.get("rest.port"));
    assertEquals("file:///srv/flink/checkpoints", config.get("state.checkpoints.dir"));
    assertEquals("file:///srv/flink/savepoints", config.get("state.savepoints.dir"));
    assertTrue(LOCAL.localTaskManager());
    assertTrue(LOCAL.checkpointsInFolder());
  }

  @Test
  public void jobManagerHost_advertisesItsAddress_andSharesItsState() {
    FlinkClusterSettings jm =
        LOCAL
            .withHost("10.0.0.1")
            .withoutTaskManager()
            .withCheckpointDir("/mnt/shared/checkpoints")
            .withSavepointDir("s3://bucket/savepoints");

    Map<String, String> config = FlinkSessionCluster.configuration(jm);

    assertEquals("10.0.0.1", config.get("jobmanager.rpc.address"));
    // Flink's REST handler reaches the blob server at localhost: RPC and blobs listen everywhere.
    assertEquals("0.0.0.0", config.get("jobmanager.bind-host"));
    assertEquals("10.0.0.1", config.get("rest.address"));
    assertEquals("10.0.0.1", config.get("rest.bind-address"));
    assertEquals("file:///mnt/shared/checkpoints", config.get("state.checkpoints.dir"));
    assertEquals("s3://bucket/savepoints", config.get("state.savepoints.dir"));
    assertFalse(jm.localTaskManager());
    assertFalse(jm.checkpointsInFolder());
  }

  @Test
  public void bindHost_isWhereProcessesListen_notWhatTheyAdvertise() {
    Map<String, String> config =
        FlinkSessionCluster.configuration(
            LOCAL.withHost("flink-jm.example.com").withBindHost("0.0.0.0"));

    assertEquals("flink-jm.example.com", config.get("jobmanager.rpc.address"));
    assertEquals("flink-jm.example.com", config.get("rest.address"));
    assertEquals("0.0.0.0", config.get("jobmanager.bind-host"));
    assertEquals("0.0.0.0", config.get("rest.bind-address"));
    assertEquals("0.0.0.0", config.get("taskmanager.bind-host"));
  }

  @Test
  public void taskManagerHost_joinsTheJobManager_advertisingItsOwnAddress() {
    FlinkClusterSettings tm =
        LOCAL
            .joining("10.0.0.1:6124")
            .withHost("10.0.0.2")
            .withSlots(1)
            .withCheckpointDir("/mnt/shared/checkpoints");

    Map<String, String> config = FlinkSessionCluster.configuration(tm);

    assertEquals(Optional.of("10.0.0.1:6124"), tm.jobManagerAddress());
    assertEquals("10.0.0.1", config.get("jobmanager.rpc.address"));
    assertEquals("6124", config.get("jobmanager.rpc.port"));
    assertEquals("10.0.0.2", config.get("taskmanager.host"));
    assertEquals("10.0.0.2", config.get("taskmanager.bind-host"));
    assertEquals("1", config.get("taskmanager.numberOfTaskSlots"));
    assertEquals("file:///mnt/shared/checkpoints", config.get("state.checkpoints.dir"));
  }

  @Test
  public void extraConfiguration_overridesTheGenerated() {
    Map<String, String> config =
        FlinkSessionCluster.configuration(
            LOCAL.withHost("10.0.0.1").withConfig("jobmanager.bind-host", "10.0.0.1"));

    assertEquals("10.0.0.1", config.get("jobmanager.bind-host"));
    assertEquals("10.0.0.1", config.get("rest.bind-address"));
  }

  @Test
  public void badAddressesAndDirectories_areRefused_sayingWhatFits() {
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> LOCAL.withHost("10.0.0.1:6123"))
            .getMessage(),
        containsString("withHost() takes a host name or an IPv4 address"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> LOCAL.withBindHost(" ")).getMessage(),
        containsString("withBindHost() takes a host name or an IPv4 address"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> LOCAL.joining("10.0.0.1")).getMessage(),
        containsString("joining() takes the JobManager's RPC address as host:port"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> LOCAL.joining("10.0.0.1:rpc"))
            .getMessage(),
        containsString("numeric port"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> LOCAL.joining("10.0.0.1:70000"))
            .getMessage(),
        containsString("joining() must be a TCP port in 1..65535, got 70000"));
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> LOCAL.withCheckpointDir("shared/cp"))
            .getMessage(),
        containsString("withCheckpointDir() takes an absolute path"));
    assertThat(
        assertThrows(
                IllegalArgumentException.class,
                () -> LOCAL.joining("10.0.0.1:6123").withoutTaskManager())
            .getMessage(),
        containsString("withoutTaskManager() is for the JobManager's host"));
  }
}
