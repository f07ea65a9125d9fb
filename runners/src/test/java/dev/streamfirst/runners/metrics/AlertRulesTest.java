package dev.streamfirst.runners.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * The alert rules in {@code monitoring/prometheus/} are valid, and each fires (and stays quiet)
 * where its promtool unit test says, with Prometheus' own rule engine.
 */
public class AlertRulesTest {
  private final Path rules = PrometheusTools.monitoring().resolve("prometheus");

  @Test
  public void rulesFile_isValid_withFourAlerts() throws Exception {
    PrometheusTools.Output check =
        PrometheusTools.run(
            List.of(
                PrometheusTools.program("promtool").toString(),
                "check",
                "rules",
                "streamfirst-rules.yml"),
            rules);
    assertEquals(check.text(), 0, check.exitCode());
    assertThat(check.text(), containsString("SUCCESS: 4 rules found"));
  }

  @Test
  public void promtoolUnitTests_pass() throws Exception {
    Path tests = rules.resolve("streamfirst-rules.test.yml");
    // Every alert has a test in which it fires.
    String text = Files.readString(tests);
    for (String alert :
        List.of(
            "StreamfirstDeadLetterRate",
            "StreamfirstLagGrowing",
            "StreamfirstNoOutput",
            "StreamfirstJobRestarts")) {
      assertThat(
          text, containsString("alertname: " + alert + "\n        exp_alerts:\n          -"));
    }
    PrometheusTools.Output test =
        PrometheusTools.run(
            List.of(
                PrometheusTools.program("promtool").toString(),
                "test",
                "rules",
                "streamfirst-rules.test.yml"),
            rules);
    assertEquals(test.text(), 0, test.exitCode());
    assertThat(test.text(), containsString("SUCCESS"));
  }
}
