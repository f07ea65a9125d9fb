package dev.streamfirst.transforms.enrich;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lookup handler over a fixed map that records every call and can be told to fail its first calls
 * or to be slow. Handlers are serialized into the pipeline, so what they record is kept in static
 * maps under a name that is unique per test.
 */
final class RecordingHandler implements LookupHandler {
  private static final Map<String, List<List<String>>> CALLS = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

  enum Failure {
    NONE,
    TRANSIENT,
    PERMANENT,
    SLOW
  }

  private final String name;
  private final Map<String, String> records;
  private final Failure failure;
  private final int failFirst;

  private RecordingHandler(
      String name, Map<String, String> records, Failure failure, int failFirst) {
    this.name = name;
    this.records = new TreeMap<>(records);
    this.failure = failure;
    this.failFirst = failFirst;
    CALLS.put(name, Collections.synchronizedList(new ArrayList<>()));
    ATTEMPTS.put(name, new AtomicInteger());
  }

  static RecordingHandler over(String name, Map<String, String> records) {
    return new RecordingHandler(name, records, Failure.NONE, 0);
  }

  /** Fails the first {@code calls} calls in the given way, then answers. */
  RecordingHandler failingFirst(int calls, Failure how) {
    return new RecordingHandler(name, records, how, calls);
  }

  @Override
  public Map<String, String> lookup(List<String> keys) throws Exception {
    int attempt = ATTEMPTS.get(name).incrementAndGet();
    CALLS.get(name).add(List.copyOf(keys));
    if (attempt <= failFirst) {
      switch (failure) {
        case TRANSIENT:
          throw LookupException.transientFailure("service unavailable (attempt " + attempt + ")");
        case PERMANENT:
          throw LookupException.permanentFailure("bad request (attempt " + attempt + ")");
        case SLOW:
          Thread.sleep(5_000);
          break;
        default:
          break;
      }
    }
    Map<String, String> found = new TreeMap<>();
    for (String key : keys) {
      if (records.containsKey(key)) {
        found.put(key, records.get(key));
      }
    }
    return found;
  }

  /** Every call made, each the keys it asked for. */
  List<List<String>> calls() {
    synchronized (CALLS.get(name)) {
      return List.copyOf(CALLS.get(name));
    }
  }

  @Override
  public String toString() {
    return "RecordingHandler(" + name + ")";
  }
}
