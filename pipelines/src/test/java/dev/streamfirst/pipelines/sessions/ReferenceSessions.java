package dev.streamfirst.pipelines.sessions;

import dev.streamfirst.pipelines.rollup.ReferenceRollup;
import dev.streamfirst.pipelines.rollup.ReferenceRollup.Input;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.joda.time.Instant;

/** Sessions computed the plain way, in one thread, with no Beam. */
final class ReferenceSessions {
  private ReferenceSessions() {}

  /**
   * "key|window_start|window_end|events|first_event|last_event|duration_ms" per session: a key's
   * events in time order, a new session whenever one comes at or after the last one plus the gap
   * (sessions merge only when they overlap).
   */
  static List<String> sessions(List<Input> events, long gap, long ttl) {
    Map<String, List<Long>> byKey = new TreeMap<>();
    for (Input e : ReferenceRollup.dedup(events, ttl)) {
      byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.ts());
    }
    List<String> sessions = new ArrayList<>();
    byKey.forEach(
        (key, times) -> {
          times.sort(Long::compare);
          int start = 0;
          for (int i = 1; i <= times.size(); i++) {
            if (i == times.size() || times.get(i) >= times.get(i - 1) + gap) {
              long first = times.get(start);
              long last = times.get(i - 1);
              sessions.add(
                  String.join(
                      "|",
                      key,
                      new Instant(first).toString(),
                      new Instant(last + gap).toString(),
                      Integer.toString(i - start),
                      new Instant(first).toString(),
                      new Instant(last).toString(),
                      Long.toString(last - first)));
              start = i;
            }
          }
        });
    return sessions;
  }
}
