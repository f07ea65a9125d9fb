package com.example.clicks;

import static dev.streamfirst.testing.kit.Events.event;
import static dev.streamfirst.testing.kit.Events.stream;
import static dev.streamfirst.testing.kit.ExpectedRow.row;
import static dev.streamfirst.testing.kit.Times.at;
import static dev.streamfirst.testing.kit.Times.window;

import dev.streamfirst.testing.kit.PipelineKit;
import dev.streamfirst.testing.kit.PipelineKitExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PipelineKitExtension.class)
class ClickAlertsTest {
  @Test
  void lateClick_pushesSessionOverTheLine_alertInLatePane(PipelineKit kit) {
    var run = kit.pipeline(ClickAlertsOptions.class, ClickAlertsPipeline::create)
        .withArgs("--sessionGap=1m", "--allowedLateness=5m", "--alertAfterClicks=3")
        .readFrom(stream()
            .add(event("c-1", "u1", at("10:00:00"), 1), event("c-2", "u1", at("10:00:20"), 1))
            .advanceWatermarkTo(at("10:02"))
            .add(event("c-3", "u1", at("10:00:40"), 1))); // late: the session is closed
    run.output("Sessions").inOnTimePane(window("10:00", "10:01:20")).containsRows(row("events", 2));
    run.output("Alerts").inOnTimePane(window("10:00", "10:01:20")).isEmpty();
    run.output("Alerts").inLatePane(window("10:00", "10:01:40")) // then closed when lateness ends
        .containsRows(row("events", 3, "final", false), row("events", 3, "final", true));
    run.deadLetters().isEmpty();
    run.run();
  }
}
