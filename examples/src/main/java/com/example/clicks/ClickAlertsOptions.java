package com.example.clicks;

import dev.streamfirst.pipelines.sessions.SessionsOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The sessions pipeline's options, and when a session is busy enough to raise an alert. */
public interface ClickAlertsOptions extends SessionsOptions {
  @Description("Raise an alert when a user's session has at least this many clicks.")
  @Default.Integer(20)
  Integer getAlertAfterClicks();

  void setAlertAfterClicks(Integer clicks);

  @Description("Where alerts go, as a URI (file:, console:, kafka:, pubsub:).")
  @Default.String("console:")
  String getAlertSink();

  void setAlertSink(String sink);
}
