package dev.streamfirst.runners.flink;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a Flink cluster's REST API that answers fixed JSON per path and records what it
 * was asked, for testing clients without starting a cluster.
 *
 * <pre>{@code
 * try (FakeFlinkRest rest = FakeFlinkRest.start()) {
 *   rest.answer("GET /overview", 200, "{\"slots-total\": 2}");
 *   FlinkRest.at(rest.address()).overview();
 * }
 * }</pre>
 */
public final class FakeFlinkRest implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, List<String[]>> answers = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private FakeFlinkRest(HttpServer server) {
    this.server = server;
  }

  public static FakeFlinkRest start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeFlinkRest fake = new FakeFlinkRest(server);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String request = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
          fake.requests.add(body.isEmpty() ? request : request + " " + body);
          String[] answer = fake.next(request);
          byte[] bytes = answer[1].getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(Integer.parseInt(answer[0]), bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    return fake;
  }

  /**
   * Answers {@code "METHOD /path"} with this status and JSON body. Answers given for the same
   * request are used in turn, the last one from then on.
   */
  public FakeFlinkRest answer(String request, int status, String json) {
    answers
        .computeIfAbsent(request, r -> new CopyOnWriteArrayList<>())
        .add(new String[] {Integer.toString(status), json});
    return this;
  }

  private synchronized String[] next(String request) {
    List<String[]> queue = answers.get(request);
    if (queue == null || queue.isEmpty()) {
      return new String[] {"404", "{\"errors\":[\"Not found: " + request + "\"]}"};
    }
    return queue.size() > 1 ? queue.remove(0) : queue.get(0);
  }

  /** {@code localhost:<port>}, as {@code --flinkMaster} takes it. */
  public String address() {
    return "localhost:" + server.getAddress().getPort();
  }

  /** Every request so far: {@code "METHOD /path"} and its body, if any. */
  public List<String> requests() {
    return requests;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
