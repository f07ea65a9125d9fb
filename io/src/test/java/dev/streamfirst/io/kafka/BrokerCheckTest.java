package dev.streamfirst.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.joda.time.Duration;
import org.junit.Test;

public class BrokerCheckTest {
  /** A loopback port nothing listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  public void unreachableBroker_isOneLineWithinTheDefaultWait() throws IOException {
    String servers = "localhost:" + closedPort();
    long started = System.nanoTime();

    String problem = BrokerCheck.problem(servers, Map.of()).orElseThrow();

    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    assertThat(seconds, lessThan(10L));
    assertThat(problem, containsString("no Kafka broker answered at " + servers + " within 5.0 s"));
    assertThat(problem, containsString("kafka.default.api.timeout.ms=30000"));
    assertEquals(1, problem.lines().count());
  }

  @Test
  public void theWait_isTheClientsOwnTimeout_whenTheUriSetsIt() throws IOException {
    String servers = "localhost:" + closedPort();
    long started = System.nanoTime();

    String problem =
        BrokerCheck.problem(servers, Map.of("default.api.timeout.ms", "1000")).orElseThrow();

    assertThat((System.nanoTime() - started) / 1_000_000L, lessThan(4_000L));
    assertThat(problem, containsString("within 1.0 s"));
    assertEquals(
        Duration.millis(1000), BrokerCheck.timeout(Map.of("default.api.timeout.ms", "1000")));
  }

  @Test
  public void badTimeout_isNamed() {
    assertThat(
        BrokerCheck.problem("localhost:9092", Map.of("default.api.timeout.ms", "soon"))
            .orElseThrow(),
        containsString("kafka.default.api.timeout.ms must be a positive number of milliseconds"));
  }
}
