package dev.streamfirst.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The {@code ./streamfirst flink} commands when there is no cluster, and their messages. */
public class FlinkCommandTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    Path root = tmp.getRoot().toPath();
    return FlinkCommand.forProject(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            root)
        .run(List.of(args));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void status_withoutACluster_saysHowToStartOne() {
    assertEquals(FlinkCommand.NOT_RUNNING, run("status"));
    assertThat(out(), containsString("No Flink cluster is running from "));
    assertThat(out(), containsString("Start one: ./streamfirst flink start"));
  }

  @Test
  public void stop_withoutACluster_doesNothing() {
    assertEquals(FlinkCommand.OK, run("stop"));
    assertThat(out(), containsString("nothing to stop"));
  }

  @Test
  public void start_withoutTheLibraries_saysHowToBuildThem() {
    assertEquals(FlinkCommand.FAILED, run("start", "--port=18999"));
    assertThat(err(), containsString("the Flink cluster's libraries are missing in "));
    assertThat(err(), containsString("mvn -B package -pl runners -am -DskipTests"));
  }

  @Test
  public void start_withABadPort_isAUsageError() {
    assertEquals(FlinkCommand.USAGE, run("start", "--port=eighty"));
    assertThat(err(), containsString("--port takes a whole number, got 'eighty'"));
  }

  @Test
  public void start_withAnUnknownFlag_isAUsageError() {
    assertEquals(FlinkCommand.USAGE, run("start", "--slotz=4"));
    assertThat(err(), containsString("unknown flag for 'flink start': --slotz=4"));
  }

  @Test
  public void stopJob_withoutAnId_saysWhereIdsAre() {
    assertEquals(FlinkCommand.USAGE, run("stop-job"));
    assertThat(err(), containsString("'./streamfirst flink status' lists them"));
  }

  @Test
  public void startTaskManager_withoutACluster_saysHowToStartOne() {
    assertEquals(FlinkCommand.FAILED, run("start-taskmanager"));
    assertThat(err(), containsString("no Flink cluster was started from "));
    assertThat(err(), containsString("start one: ./streamfirst flink start"));
  }

  @Test
  public void startTaskManager_whenTheJobManagerIsGone_saysToStartTheClusterAgain()
      throws IOException {
    Path home = Files.createDirectories(tmp.getRoot().toPath().resolve(".flink"));
    // Pid 1 runs, but is not a process of this cluster.
    Files.writeString(
        home.resolve("cluster.properties"),
        "rest.port=18998\njobmanager.pid=1\ntaskmanager.pid=1\nstarted=2026-12-03T10:00:00Z\n");

    assertEquals(FlinkCommand.FAILED, run("start-taskmanager"));

    assertThat(err(), containsString("the JobManager (pid 1) of the Flink cluster in " + home));
    assertThat(err(), containsString("./streamfirst flink stop && ./streamfirst flink start"));
  }

  @Test
  public void unknownCommand_showsUsage() {
    assertEquals(FlinkCommand.USAGE, run("restart"));
    assertThat(err(), containsString("unknown flink command 'restart'"));
    assertThat(err(), containsString("usage: ./streamfirst flink <command>"));
  }

  @Test
  public void startTaskManager_joiningWithoutHost_saysWhichAddressItNeeds() {
    assertEquals(FlinkCommand.USAGE, run("start-taskmanager", "--jobManager=10.0.0.1:6123"));
    assertThat(err(), containsString("needs --host=<address>"));
  }

  @Test
  public void startTaskManager_withFlagsButNoJobManager_isAUsageError() {
    assertEquals(FlinkCommand.USAGE, run("start-taskmanager", "--host=10.0.0.2"));
    assertThat(err(), containsString("without --jobManager=<host:port>"));
  }

  @Test
  public void startTaskManager_onAnAddressNotOfThisMachine_saysSo() {
    Path lib = tmp.getRoot().toPath().resolve("runners/flink-cluster/target/lib");
    try {
      Files.createDirectories(lib);
      Files.writeString(lib.resolve("flink-runtime-1.19.0.jar"), "");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    // 203.0.113.0/24 is for documentation: no machine has such an address.
    assertEquals(
        FlinkCommand.FAILED,
        run("start-taskmanager", "--jobManager=10.0.0.1:6123", "--host=203.0.113.77"));
    assertThat(err(), containsString("--host=203.0.113.77 is not an address of this machine"));
  }

  @Test
  public void start_withARelativeCheckpointDir_isAUsageError() {
    assertEquals(FlinkCommand.USAGE, run("start", "--checkpointDir=shared/checkpoints"));
    assertThat(
        err(), containsString("--checkpointDir: withCheckpointDir() takes an absolute path"));
  }
}
