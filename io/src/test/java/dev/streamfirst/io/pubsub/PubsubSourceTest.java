package dev.streamfirst.io.pubsub;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import dev.streamfirst.io.IoUri;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.Test;

public class PubsubSourceTest {

  private static PubsubSource read(String uri) {
    return PubsubSource.fromUri(IoUri.parse(uri));
  }

  private static IllegalArgumentException refused(String uri) {
    return assertThrows(IllegalArgumentException.class, () -> read(uri));
  }

  @Test
  public void subscriptionUri_withBothAttributes() {
    PubsubSource source =
        read(
            "pubsub://projects/my-project/subscriptions/events-rollup"
                + "?idAttribute=event_id&timestampAttribute=ts");

    assertEquals("projects/my-project/subscriptions/events-rollup", source.subscription());
    assertEquals("event_id", source.idAttribute());
    assertEquals("ts", source.timestampAttribute());
  }

  @Test
  public void subscriptionUri_withoutParameters_usesNoAttributes() {
    PubsubSource source = read("pubsub://projects/my-project/subscriptions/events-rollup");

    assertNull(source.idAttribute());
    assertNull(source.timestampAttribute());
  }

  @Test
  public void domainScopedProject_isAccepted() {
    assertEquals(
        "projects/example.com:my-project/subscriptions/sub",
        read("pubsub://projects/example.com:my-project/subscriptions/sub").subscription());
  }

  @Test
  public void topic_isRefusedWithHowToCreateASubscription() {
    IllegalArgumentException e = refused("pubsub://projects/my-project/topics/events");

    assertThat(e.getMessage(), containsString("a Pub/Sub source reads a subscription, got topic"));
    assertThat(e.getMessage(), containsString("Streamfirst does not create subscriptions"));
    assertThat(
        e.getMessage(),
        containsString(
            "gcloud pubsub subscriptions create events-sub --topic=events --project=my-project"));
    assertThat(
        e.getMessage(), containsString("pubsub://projects/my-project/subscriptions/events-sub"));
  }

  @Test
  public void shortProjectId_isRefusedWithTheRule() {
    IllegalArgumentException e = refused("pubsub://projects/probe/subscriptions/events");

    assertThat(e.getMessage(), containsString("project id 'probe'"));
    assertThat(e.getMessage(), containsString("6 to 30 lower-case letters"));
    assertThat(e.getMessage(), containsString("e.g. " + PubsubSource.EXAMPLE));
  }

  @Test
  public void singularCollection_isNamed() {
    IllegalArgumentException e = refused("pubsub://projects/my-project/subscription/events");

    assertThat(e.getMessage(), containsString("'subscription' in"));
    assertThat(e.getMessage(), containsString("must be 'topics' or 'subscriptions'"));
  }

  @Test
  public void missingProjectsPrefix_showsTheForm() {
    IllegalArgumentException e = refused("pubsub://my-project/subscriptions/events");

    assertThat(e.getMessage(), containsString("projects/<project>/subscriptions/<subscription>"));
  }

  @Test
  public void withoutSlashes_isRefused() {
    IllegalArgumentException e = refused("pubsub:projects/my-project/subscriptions/events");

    assertThat(e.getMessage(), containsString("must start with pubsub://projects/"));
  }

  @Test
  public void shortName_isRefused() {
    IllegalArgumentException e = refused("pubsub://projects/my-project/subscriptions/ab");

    assertThat(e.getMessage(), containsString("Pub/Sub name 'ab'"));
    assertThat(e.getMessage(), containsString("3 to 255"));
  }

  @Test
  public void unknownParameter_isNamedWithTheValidOnes() {
    IllegalArgumentException e =
        refused("pubsub://projects/my-project/subscriptions/events?timestamp=ts");

    assertThat(e.getMessage(), containsString("unknown Pub/Sub source parameter(s) [timestamp]"));
    assertThat(e.getMessage(), containsString("valid: idAttribute, timestampAttribute"));
  }

  @Test
  public void reservedAttributeName_isRefused() {
    IllegalArgumentException e =
        refused("pubsub://projects/my-project/subscriptions/events?idAttribute=googId");

    assertThat(e.getMessage(), containsString("withIdAttribute() 'googId' is not a valid"));
  }

  @Test
  public void emptyAttributeName_isRefused() {
    IllegalArgumentException e =
        refused("pubsub://projects/my-project/subscriptions/events?timestampAttribute=");

    assertThat(e.getMessage(), containsString("withTimestampAttribute() needs an attribute name"));
  }

  @Test
  public void displayData_showsSubscriptionAndAttributes() {
    DisplayData data =
        DisplayData.from(
            PubsubSource.fromSubscription("projects/my-project/subscriptions/events")
                .withIdAttribute("event_id")
                .withTimestampAttribute("ts"));

    assertThat(data.toString(), containsString("projects/my-project/subscriptions/events"));
    assertThat(data.toString(), containsString("event_id"));
    assertThat(data.toString(), containsString("timestampAttribute"));
  }
}
