package dev.streamfirst.runners.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A pass-through HTTP proxy in front of the Pub/Sub emulator that counts how often each message is
 * delivered: every {@code :pull} answer is read for its message ids. The job reads through it
 * ({@code --pubsubRootUrl=}{@link #rootUrl()}), so a test can see that messages really were
 * delivered again after a fault, which the emulator does not report.
 */
final class PubsubDeliveries implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String target;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Integer> deliveries = new HashMap<>();

  private PubsubDeliveries(String target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::forward);
    server.setExecutor(threads);
    server.start();
  }

  /** Starts a proxy for the emulator at {@code rootUrl} ({@code http://localhost:<port>}). */
  static PubsubDeliveries inFrontOf(String rootUrl) throws IOException {
    return new PubsubDeliveries(rootUrl);
  }

  /** What {@code --pubsubRootUrl} must say for the job to read through this proxy. */
  String rootUrl() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  /** Messages delivered, each delivery counted. */
  synchronized long delivered() {
    return deliveries.values().stream().mapToLong(Integer::longValue).sum();
  }

  /** Distinct messages delivered at least once. */
  synchronized int distinct() {
    return deliveries.size();
  }

  /** Deliveries beyond each message's first. */
  synchronized long redelivered() {
    return delivered() - distinct();
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
              .timeout(Duration.ofSeconds(60))
              .method(
                  exchange.getRequestMethod(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      // The client may compress what it sends; the answer comes back plain (no Accept-Encoding).
      for (String header : new String[] {"Content-Type", "Content-Encoding"}) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
          request.header(header, value);
        }
      }
      HttpResponse<byte[]> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(503, -1);
        return;
      } catch (IOException e) {
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      if (response.statusCode() == 200 && exchange.getRequestURI().getPath().endsWith(":pull")) {
        count(response.body());
      }
      response
          .headers()
          .firstValue("Content-Type")
          .ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
      byte[] answer = response.body();
      exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  private void count(byte[] pullAnswer) throws IOException {
    JsonNode received = JSON.readTree(pullAnswer).path("receivedMessages");
    synchronized (this) {
      for (JsonNode item : received) {
        deliveries.merge(item.path("message").path("messageId").asText(), 1, Integer::sum);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
