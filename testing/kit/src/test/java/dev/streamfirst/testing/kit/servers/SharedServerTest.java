package dev.streamfirst.testing.kit.servers;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * The rule and the extension hand out a server's one JVM-wide instance, starting it once; a class
 * that is not a server is refused with what would be; a server that fails to start fails the test.
 */
public class SharedServerTest {
  /** Stands for a server: counts its starts. */
  public static final class FakeServer {
    static final AtomicInteger STARTS = new AtomicInteger();
    private static FakeServer shared;

    public static synchronized FakeServer shared() {
      if (shared == null) {
        STARTS.incrementAndGet();
        shared = new FakeServer();
      }
      return shared;
    }
  }

  /** A server that cannot start. */
  public static final class BrokenServer {
    public static BrokenServer shared() {
      throw new IllegalStateException("port 9092 is taken");
    }
  }

  @org.junit.Test
  public void rule_startsOnce_andGivesTheSameInstance() throws Throwable {
    SharedServer<FakeServer> first = SharedServer.of(FakeServer.class);
    SharedServer<FakeServer> second = SharedServer.of(FakeServer.class);
    first.apply(noop(), Description.EMPTY).evaluate();
    second.apply(noop(), Description.EMPTY).evaluate();
    assertSame(first.get(), second.get());
    assertEquals(1, FakeServer.STARTS.get());
  }

  @org.junit.Test
  public void rule_serverThatCannotStart_failsWithItsReason() {
    Statement statement = SharedServer.of(BrokenServer.class).apply(noop(), Description.EMPTY);
    IllegalStateException e = assertThrows(IllegalStateException.class, statement::evaluate);
    assertEquals("port 9092 is taken", e.getMessage());
  }

  @org.junit.Test
  public void rule_notAServer_isRefusedNamingTheServers() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SharedServer.of(String.class));
    assertThat(e.getMessage(), containsString("KafkaBroker, PubsubEmulator"));
  }

  @org.junit.Test
  public void extension_injectsTheSharedInstance() {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Injected.class))
                .build(),
            listener);
    assertEquals(0, listener.getSummary().getTotalFailureCount());
    assertEquals(2, listener.getSummary().getTestsSucceededCount());
    assertEquals(1, FakeServer.STARTS.get());
  }

  private static Statement noop() {
    return new Statement() {
      @Override
      public void evaluate() {}
    };
  }

  /** A user's JUnit 5 class; run only through the launcher above. */
  @ExtendWith(SharedServersExtension.class)
  static class Injected {
    @Test
    void first(FakeServer server) {
      assertSame(FakeServer.shared(), server);
    }

    @Test
    void second(FakeServer server) {
      assertSame(FakeServer.shared(), server);
    }
  }
}
