package dev.streamfirst.io.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.transforms.enrich.LookupException;
import dev.streamfirst.transforms.enrich.LookupHandler;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Looks keys up in an HTTP service that speaks JSON.
 *
 * <p><b>Batch</b> (a URI without {@code {key}}): one {@code POST} per batch with body {@code
 * {"keys":["k1","k2"]}}; the answer is a JSON object from key to record, {@code
 * {"k1":{...},"k2":{...}}}, where an absent key has no record. <b>Per key</b> (a URI with {@code
 * {key}} in its path, e.g. {@code http://svc/accounts/{key}}): one {@code GET} per key, where 404
 * means no record; use it with {@code withBatchSize(1)} so keys are fetched concurrently.
 *
 * <p>A 5xx, 408 or 429 answer and a connection failure are transient (retried by {@code Enrich});
 * any other non-2xx answer is not. Uses the JDK's HTTP client: one per handler instance, thread
 * safe, connections kept alive.
 *
 * <pre>{@code
 * LookupHandler accounts = HttpLookupHandler.fromUri(IoUri.parse("http://profiles:8080/batch"));
 * events.apply("Enrich", Enrich.fromLookup(accounts).withBatchSize(100));
 * }</pre>
 */
public final class HttpLookupHandler implements LookupHandler {
  /** A valid URI, for error messages. */
  public static final String EXAMPLE =
      "http://host:8080/accounts (batch POST) or"
          + " http://host:8080/accounts/{key} (GET per key)";

  private static final String KEY = "{key}";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final String uri;
  private transient HttpClient client;

  private HttpLookupHandler(String uri) {
    this.uri = uri;
  }

  /** The handler of an {@code http://} or {@code https://} URI. */
  public static HttpLookupHandler fromUri(IoUri uri) {
    String text = uri.toString();
    try {
      URI parsed = URI.create(text.replace(KEY, "key"));
      if (parsed.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an HTTP URL (" + e.getMessage() + "); e.g. " + EXAMPLE, e);
    }
    return new HttpLookupHandler(text);
  }

  @Override
  public void setup() {
    client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  @Override
  public Map<String, String> lookup(List<String> keys)
      throws IOException, InterruptedException, LookupException {
    return uri.contains(KEY) ? lookupEach(keys) : lookupBatch(keys);
  }

  private Map<String, String> lookupBatch(List<String> keys)
      throws IOException, InterruptedException, LookupException {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode array = body.putArray("keys");
    keys.forEach(array::add);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(uri))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    check(response, false);
    JsonNode answer = JSON.readTree(response.body());
    if (answer == null || !answer.isObject()) {
      throw LookupException.permanentFailure(
          "expected a JSON object from key to record from " + uri + ", got " + shorten(response));
    }
    Map<String, String> found = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = answer.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isObject()) {
        found.put(field.getKey(), field.getValue().toString());
      }
    }
    return found;
  }

  private Map<String, String> lookupEach(List<String> keys)
      throws IOException, InterruptedException, LookupException {
    Map<String, String> found = new HashMap<>();
    for (String key : keys) {
      String url =
          uri.replace(KEY, URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20"));
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(REQUEST_TIMEOUT)
              .header("Accept", "application/json")
              .GET()
              .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (check(response, true)) {
        JsonNode record = JSON.readTree(response.body());
        if (record == null || !record.isObject()) {
          throw LookupException.permanentFailure(
              "expected a JSON object from " + url + ", got " + shorten(response));
        }
        found.put(key, record.toString());
      }
    }
    return found;
  }

  /** Whether the answer has a record; throws for a failure, transient or not. */
  private boolean check(HttpResponse<String> response, boolean notFoundIsMiss)
      throws LookupException {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return true;
    }
    if (status == 404 && notFoundIsMiss) {
      return false;
    }
    boolean retry = status >= 500 || status == 408 || status == 429;
    throw new LookupException(
        "HTTP " + status + " from " + response.uri() + ": " + shorten(response), retry);
  }

  private static String shorten(HttpResponse<String> response) {
    String body = response.body() == null ? "" : response.body().strip();
    return body.length() <= 200 ? "'" + body + "'" : "'" + body.substring(0, 200) + "...'";
  }

  @Override
  public String toString() {
    return "HTTP lookup at " + uri;
  }
}
