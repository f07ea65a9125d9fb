package com.example.clicks;

import dev.streamfirst.pipelines.PipelineIo;
import dev.streamfirst.pipelines.options.OptionChecks;
import dev.streamfirst.pipelines.sessions.SessionsSettings;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/** The settings of the click-alerts pipeline, checked: every bad option is reported at once. */
public record ClickAlertsSettings(
    SessionsSettings sessions, int alertAfterClicks, PTransform<PCollection<String>, PDone> alerts) {
  public static ClickAlertsSettings from(ClickAlertsOptions options, OptionChecks checks) {
    int clicks = options.getAlertAfterClicks();
    checks.require(
        clicks > 0, "alertAfterClicks", String.valueOf(clicks), "must be positive, e.g. 20");
    PTransform<PCollection<String>, PDone> alerts =
        PipelineIo.sink("alertSink", options.getAlertSink(), checks);
    return new ClickAlertsSettings(SessionsSettings.from(options, checks), clicks, alerts);
  }
}
