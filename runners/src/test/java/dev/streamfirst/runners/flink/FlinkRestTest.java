package dev.streamfirst.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class FlinkRestTest {
  @Test
  public void stopWithSavepoint_postsStop_thenReturnsTheSavepointPath() throws IOException {
    try (FakeFlinkRest fake = FakeFlinkRest.start()) {
      fake.answer("POST /jobs/j1/stop", 202, "{\"request-id\":\"r1\"}")
          .answer(
              "GET /jobs/j1/savepoints/r1",
              200,
              "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"location\":\"file:/sp/savepoint-1\"}}");

      String path =
          FlinkRest.at(fake.address()).stopWithSavepoint("j1", "/sp", false, Duration.ofSeconds(5));

      assertEquals("file:/sp/savepoint-1", path);
      assertThat(
          fake.requests(),
          hasItem("POST /jobs/j1/stop {\"drain\":false,\"targetDirectory\":\"/sp\"}"));
    }
  }

  @Test
  public void savepointDeclinedByAFinishingTask_isRequestedAgain() throws IOException {
    try (FakeFlinkRest fake = FakeFlinkRest.start()) {
      fake.answer("POST /jobs/j1/stop", 202, "{\"request-id\":\"r1\"}")
          .answer("POST /jobs/j1/stop", 202, "{\"request-id\":\"r2\"}")
          .answer(
              "GET /jobs/j1/savepoints/r1",
              200,
              "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"failure-cause\":{\"stack-trace\":"
                  + "\"CheckpointException: Checkpoint was declined (tasks not ready)\"}}}")
          .answer(
              "GET /jobs/j1/savepoints/r2",
              200,
              "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"location\":\"file:/sp/2\"}}");

      String path =
          FlinkRest.at(fake.address()).stopWithSavepoint("j1", null, false, Duration.ofSeconds(20));

      assertEquals("file:/sp/2", path);
      assertEquals(2, fake.requests().stream().filter(r -> r.startsWith("POST")).count());
    }
  }

  @Test
  public void failedSavepoint_throws_withTheCause() throws IOException {
    try (FakeFlinkRest fake = FakeFlinkRest.start()) {
      fake.answer("POST /jobs/j1/savepoints", 202, "{\"request-id\":\"r1\"}")
          .answer(
              "GET /jobs/j1/savepoints/r1",
              200,
              "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"failure-cause\":"
                  + "{\"stack-trace\":\"java.lang.IllegalStateException: no space left\\n\\tat x\"}}}");

      IOException e =
          assertThrows(
              IOException.class,
              () ->
                  FlinkRest.at(fake.address()).triggerSavepoint("j1", null, Duration.ofSeconds(5)));

      assertThat(e.getMessage(), containsString("savepoint of job j1 failed"));
      assertThat(e.getMessage(), containsString("no space left"));
    }
  }

  @Test
  public void errorAnswer_isReportedWithFlinksOwnMessage() throws IOException {
    try (FakeFlinkRest fake = FakeFlinkRest.start()) {
      fake.answer("GET /jobs/nope", 404, "{\"errors\":[\"Job nope not found\"]}");

      IOException e =
          assertThrows(IOException.class, () -> FlinkRest.at(fake.address()).jobState("nope"));

      assertThat(e.getMessage(), containsString("GET /jobs/nope answered 404: Job nope not found"));
    }
  }

  @Test
  public void noClusterAtTheAddress_meansNoOverview_andAClearError() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    FlinkRest rest = FlinkRest.at("localhost:" + port);

    assertTrue(rest.overview().isEmpty());
    IOException e = assertThrows(IOException.class, rest::jobs);
    assertThat(
        e.getMessage(), containsString("no Flink cluster answers at http://localhost:" + port));
  }

  @Test
  public void counters_areSummedOverSteps_byName() throws IOException {
    try (FakeFlinkRest fake = FakeFlinkRest.start()) {
      fake.answer("GET /jobs/j1", 200, "{\"vertices\":[{\"id\":\"v1\"},{\"id\":\"v2\"}]}")
          .answer(
              "GET /jobs/j1/vertices/v1/subtasks/metrics",
              200,
              "[{\"id\":\"Rollup/ParseEvents/ParseJson.streamfirst_events_read\"},"
                  + "{\"id\":\"Rollup/ParseEvents/ParseJson.numRecordsIn\"}]")
          .answer(
              "GET /jobs/j1/vertices/v1/subtasks/metrics",
              200,
              "[{\"id\":\"Rollup/ParseEvents/ParseJson.streamfirst_events_read\",\"sum\":120.0}]")
          .answer(
              "GET /jobs/j1/vertices/v2/subtasks/metrics",
              200,
              "[{\"id\":\"Rollup/Dedup/DropDuplicates.streamfirst_duplicates_dropped\"}]")
          .answer(
              "GET /jobs/j1/vertices/v2/subtasks/metrics",
              200,
              "[{\"id\":\"Rollup/Dedup/DropDuplicates.streamfirst_duplicates_dropped\",\"sum\":7.0}]");

      assertEquals(
          Map.of("events_read", 120L, "duplicates_dropped", 7L),
          FlinkRest.at(fake.address()).counters("j1", "streamfirst"));
    }
  }

  @Test
  public void addressWithoutPort_isRefused_withAnExample() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FlinkRest.at("localhost"));
    assertThat(e.getMessage(), containsString("host:port, e.g. localhost:8081"));
  }

  @Test
  public void jobs_areListedNewestFirst_andFoundByName() throws IOException {
    try (FakeFlinkRest fake = FakeFlinkRest.start()) {
      fake.answer(
          "GET /jobs/overview",
          200,
          "{\"jobs\":[{\"jid\":\"a\",\"name\":\"old\",\"state\":\"FINISHED\",\"start-time\":1000,"
              + "\"duration\":5},{\"jid\":\"b\",\"name\":\"new\",\"state\":\"RUNNING\","
              + "\"start-time\":2000,\"duration\":7}]}");
      FlinkRest rest = FlinkRest.at(fake.address());

      assertEquals("b", rest.jobs().get(0).id());
      assertEquals("a", rest.jobNamed("old").orElseThrow().id());
      assertTrue(rest.jobNamed("missing").isEmpty());
    }
  }

  @Test
  public void vertices_andSubtasks_readParallelismRecordsAndBusyTime() throws IOException {
    try (FakeFlinkRest fake = FakeFlinkRest.start()) {
      fake.answer(
              "GET /jobs/j1",
              200,
              "{\"state\":\"RUNNING\",\"vertices\":[{\"id\":\"v1\",\"name\":\"ReadEvents\","
                  + "\"parallelism\":2,\"maxParallelism\":128,\"metrics\":{\"read-records\":0,"
                  + "\"write-records\":900}}]}")
          .answer(
              "GET /jobs/j1/vertices/v1",
              200,
              "{\"subtasks\":[{\"subtask\":0,\"metrics\":{\"read-records\":600,"
                  + "\"write-records\":10,\"accumulated-busy-time\":7000,"
                  + "\"accumulated-idle-time\":3000,\"accumulated-backpressured-time\":5}},"
                  + "{\"subtask\":1,\"metrics\":{\"read-records\":300,\"write-records\":4,"
                  + "\"accumulated-busy-time\":2000,\"accumulated-idle-time\":8000,"
                  + "\"accumulated-backpressured-time\":0}}]}");
      FlinkRest rest = FlinkRest.at(fake.address());

      assertEquals(
          List.of(new FlinkRest.Vertex("v1", "ReadEvents", 2, 128, 0, 900)), rest.vertices("j1"));
      assertEquals(
          List.of(
              new FlinkRest.Subtask(0, 600, 10, 7000, 3000, 5),
              new FlinkRest.Subtask(1, 300, 4, 2000, 8000, 0)),
          rest.subtasks("j1", "v1"));
    }
  }

  @Test
  public void subtaskTaskManagers_listsEachStepsSubtasksWhereTheyRun() throws IOException {
    try (FakeFlinkRest fake = FakeFlinkRest.start()) {
      fake.answer(
              "GET /jobs/j1",
              200,
              "{\"vertices\":[{\"id\":\"v1\",\"name\":\"ReadEvents\"},"
                  + "{\"id\":\"v2\",\"name\":\"Rollup/Aggregate\"}]}")
          .answer(
              "GET /jobs/j1/vertices/v1",
              200,
              "{\"subtasks\":[{\"subtask\":0,\"taskmanager-id\":\"tm-a\"}]}")
          .answer(
              "GET /jobs/j1/vertices/v2",
              200,
              "{\"subtasks\":[{\"subtask\":0,\"taskmanager-id\":\"tm-a\"},"
                  + "{\"subtask\":1,\"taskmanager-id\":\"tm-b\"}]}");

      Map<String, java.util.List<String>> placement =
          FlinkRest.at(fake.address()).subtaskTaskManagers("j1");

      assertEquals(
          Map.of(
              "ReadEvents", java.util.List.of("tm-a"),
              "Rollup/Aggregate", java.util.List.of("tm-a", "tm-b")),
          placement);
    }
  }

  @Test
  public void latestRestoredCheckpoint_isACheckpoint_notTheSavepointItStartedFrom()
      throws IOException {
    try (FakeFlinkRest fake = FakeFlinkRest.start()) {
      fake.answer(
              "GET /jobs/j1/checkpoints",
              200,
              "{\"latest\":{\"restored\":{\"id\":7,\"is_savepoint\":false}}}")
          .answer(
              "GET /jobs/j2/checkpoints",
              200,
              "{\"latest\":{\"restored\":{\"id\":3,\"is_savepoint\":true}}}")
          .answer("GET /jobs/j3/checkpoints", 200, "{\"latest\":{\"restored\":null}}");
      FlinkRest rest = FlinkRest.at(fake.address());

      assertEquals(java.util.Optional.of(7L), rest.latestRestoredCheckpoint("j1"));
      assertEquals(java.util.Optional.empty(), rest.latestRestoredCheckpoint("j2"));
      assertEquals(java.util.Optional.empty(), rest.latestRestoredCheckpoint("j3"));
    }
  }
}
