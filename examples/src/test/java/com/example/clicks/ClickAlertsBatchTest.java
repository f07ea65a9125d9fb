package com.example.clicks;

import static dev.streamfirst.testing.kit.Events.event;
import static dev.streamfirst.testing.kit.Events.malformed;
import static dev.streamfirst.testing.kit.ExpectedRow.row;
import static dev.streamfirst.testing.kit.Times.at;

import dev.streamfirst.testing.fuzz.MalformedPayload;
import dev.streamfirst.testing.kit.PipelineKit;
import dev.streamfirst.testing.kit.PipelineKitExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PipelineKitExtension.class)
class ClickAlertsBatchTest {
  @Test
  void busyAndQuietSessions_onlyTheBusyOneAlerts_badLinesDeadLettered(PipelineKit kit) {
    String bad = malformed(MalformedPayload.MISSING_REQUIRED_FIELD, "c-9", at("10:00"));
    var run = kit.pipeline(ClickAlertsOptions.class, ClickAlertsPipeline::create)
        .withArgs("--sessionGap=1m", "--alertAfterClicks=3")
        .readLines(
            event("c-1", "busy", at("10:00:00"), 1).toJson(),
            event("c-2", "busy", at("10:00:30"), 1).toJson(),
            event("c-3", "busy", at("10:01:00"), 1).toJson(),
            event("c-3", "busy", at("10:01:00"), 1).toJson(), // re-delivered: counted once
            event("c-4", "quiet", at("10:00:10"), 1).toJson(),
            bad);
    run.output("Sessions").containsRows(row("key", "busy", "events", 3), row("key", "quiet", "events", 1));
    run.output("Alerts").containsRows(row("alert", "busy_session", "key", "busy", "events", 3));
    run.deadLetters().inStage("parse").hasPayloads(bad);
    run.run();
  }
}
