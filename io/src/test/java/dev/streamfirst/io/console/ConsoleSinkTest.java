package dev.streamfirst.io.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;

import dev.streamfirst.io.Sinks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class ConsoleSinkTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalOut;

  @Before
  public void captureStdout() {
    originalOut = System.out;
    System.setOut(new PrintStream(captured, true, UTF_8));
  }

  @After
  public void restoreStdout() {
    System.setOut(originalOut);
  }

  @Test
  public void eachElement_isPrintedOnItsOwnLine() {
    p.apply(Create.of("{\"key\":\"a\"}", "{\"key\":\"ü\"}", "plain text"))
        .apply(Sinks.write("console://"));

    p.run().waitUntilFinish();

    String[] lines = captured.toString(UTF_8).split("\\R");
    assertThat(Arrays.asList(lines), hasItems("{\"key\":\"a\"}", "{\"key\":\"ü\"}", "plain text"));
  }

  @Test
  public void markedSink_addsTheMarkerAsFirstField_soTwoKindsStayApart() {
    p.apply(Create.of("{\"payload\":\"x\",\"error\":\"bad\"}", "{}", "not json"))
        .apply(ConsoleSink.create().markedWith("dead_letter"));

    p.run().waitUntilFinish();

    String[] lines = captured.toString(UTF_8).split("\\R");
    assertThat(
        Arrays.asList(lines),
        hasItems(
            "{\"dead_letter\":true,\"payload\":\"x\",\"error\":\"bad\"}",
            "{\"dead_letter\":true}",
            "not json"));
  }
}
