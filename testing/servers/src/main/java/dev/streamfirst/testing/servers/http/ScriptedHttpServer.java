package dev.streamfirst.testing.servers.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server for tests of lookups, on loopback on a free port, that serves JSON records and
 * can be told to fail: answer the next requests with an HTTP error, or answer them slowly.
 *
 * <ul>
 *   <li>{@code POST /batch} with {@code {"keys":["a","b"]}} answers {@code {"a":{...}}} (keys
 *       without a record are left out);
 *   <li>{@code GET /records/<key>} answers the record, or 404.
 * </ul>
 *
 * <pre>{@code
 * try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
 *   server.put("acct-1", "{\"country\":\"DE\"}");
 *   server.failNext(2, 503);            // the next two requests get HTTP 503
 *   server.delayNext(1, 3_000);         // the one after that answers after 3 s
 *   server.goDown();                    // connections refused ...
 *   server.comeBack();                  // ... until it listens again on the same port
 *   String uri = server.uri("/batch");  // http://127.0.0.1:<port>/batch
 * }
 * }</pre>
 *
 * <p>Faults are taken in order, one per request, under a lock: {@code failNext(2, 500)} fails
 * exactly two requests however many arrive at once, which tests that count retries rely on (a mock
 * server's scenario states, advanced without a lock, do not guarantee it).
 */
public final class ScriptedHttpServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;
  private final ExecutorService threads;
  private volatile HttpServer server; // null while down
  private final Map<String, JsonNode> records = new ConcurrentHashMap<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
  private volatile long latencyMillis;
  private volatile int requests;

  private ScriptedHttpServer(int port, ExecutorService threads) {
    this.port = port;
    this.threads = threads;
  }

  /** Starts a server on 127.0.0.1 on a free port. */
  public static ScriptedHttpServer start() {
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService threads = Executors.newFixedThreadPool(16, daemon());
      ScriptedHttpServer scripted = new ScriptedHttpServer(http.getAddress().getPort(), threads);
      scripted.serve(http);
      return scripted;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the test HTTP server", e);
    }
  }

  private void serve(HttpServer http) {
    http.createContext("/batch", this::batch);
    http.createContext("/records/", this::record);
    http.setExecutor(threads);
    http.start();
    server = http;
  }

  /**
   * The service goes down: it stops listening, so connections are refused (as when its process has
   * died), until {@link #comeBack()}. Records are kept.
   */
  public synchronized ScriptedHttpServer goDown() {
    HttpServer http = server;
    if (http != null) {
      http.stop(0);
      server = null;
    }
    return this;
  }

  /** The service listens again, on the same port, after {@link #goDown()}. */
  public synchronized ScriptedHttpServer comeBack() {
    if (server == null) {
      try {
        serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64));
      } catch (IOException e) {
        throw new UncheckedIOException("could not listen on port " + port + " again", e);
      }
    }
    return this;
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String uri(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Serves {@code json} (an object) as the record of {@code key}. */
  public ScriptedHttpServer put(String key, String json) {
    try {
      records.put(key, JSON.readTree(json));
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
    return this;
  }

  /** The next {@code count} requests are answered with HTTP {@code status} and no record. */
  public synchronized ScriptedHttpServer failNext(int count, int status) {
    for (int i = 0; i < count; i++) {
      faults.add(new Fault(status, 0));
    }
    return this;
  }

  /** The next {@code count} requests are answered correctly, but only after {@code millis}. */
  public synchronized ScriptedHttpServer delayNext(int count, long millis) {
    for (int i = 0; i < count; i++) {
      faults.add(new Fault(0, millis));
    }
    return this;
  }

  /** Every request waits {@code millis} before it is answered: a service's own latency. */
  public ScriptedHttpServer withLatency(long millis) {
    this.latencyMillis = millis;
    return this;
  }

  /** Forgets faults, latency and counts; keeps the records. */
  public synchronized ScriptedHttpServer reset() {
    faults.clear();
    batchSizes.clear();
    latencyMillis = 0;
    requests = 0;
    return this;
  }

  /** Requests received since the start or the last {@link #reset()}. */
  public synchronized int requests() {
    return requests;
  }

  /** The number of keys in each batch request received. */
  public List<Integer> batchSizes() {
    synchronized (batchSizes) {
      return List.copyOf(batchSizes);
    }
  }

  @Override
  public void close() {
    goDown();
    threads.shutdownNow();
  }

  private synchronized Fault nextFault() {
    requests++;
    return faults.poll();
  }

  private void batch(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!answeredByFault(exchange)) {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        JsonNode keys = body == null ? null : body.get("keys");
        if (!"POST".equals(exchange.getRequestMethod()) || keys == null || !keys.isArray()) {
          send(exchange, 400, "{\"error\":\"POST {\\\"keys\\\":[...]}\"}");
          return;
        }
        batchSizes.add(keys.size());
        ObjectNode answer = JSON.createObjectNode();
        for (JsonNode key : keys) {
          JsonNode record = records.get(key.asText());
          if (record != null) {
            answer.set(key.asText(), record);
          }
        }
        send(exchange, 200, answer.toString());
      }
    }
  }

  private void record(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!answeredByFault(exchange)) {
        String raw = exchange.getRequestURI().getRawPath().substring("/records/".length());
        JsonNode record = records.get(URLDecoder.decode(raw, StandardCharsets.UTF_8));
        if (record == null) {
          send(exchange, 404, "{\"error\":\"no such key\"}");
        } else {
          send(exchange, 200, record.toString());
        }
      }
    }
  }

  /** Applies the next fault, if any; true when it answered the request. */
  private boolean answeredByFault(HttpExchange exchange) throws IOException {
    Fault fault = nextFault();
    long wait = latencyMillis + (fault == null ? 0 : fault.delayMillis());
    if (wait > 0) {
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }
    if (fault != null && fault.status() > 0) {
      exchange.getRequestBody().readAllBytes();
      send(exchange, fault.status(), "{\"error\":\"scripted failure\"}");
      return true;
    }
    return false;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    } catch (IOException e) {
      // The client gave up waiting (a timeout test); nothing to tell it.
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return runnable -> {
      Thread thread = new Thread(runnable, "scripted-http");
      thread.setDaemon(true);
      return thread;
    };
  }

  private record Fault(int status, long delayMillis) {}
}
