package dev.streamfirst.transforms.enrich;

import java.io.Serializable;
import java.util.Map;

/**
 * Reference data that is read whole: every key with its record, as a JSON object text. {@link
 * Enrich#fromTable} holds it as a side input, read once or re-read on a schedule.
 *
 * <p>It is serialized with the pipeline and read on a worker, so it carries what it needs to
 * connect (a path, a JDBC URL) rather than an open connection. A table should fit comfortably in a
 * worker's memory; for larger or fast-changing data use a {@link LookupHandler}.
 *
 * <pre>{@code
 * ReferenceTable accounts = () -> Map.of("acct-1", "{\"country\":\"DE\"}");
 * events.apply("Enrich", Enrich.fromTable(accounts));
 * }</pre>
 */
@FunctionalInterface
public interface ReferenceTable extends Serializable {

  /**
   * Every key with its record, a JSON object text.
   *
   * @throws Exception if the data cannot be read; a first read is retried and then fails the
   *     pipeline, a refresh keeps the previous copy
   */
  Map<String, String> readAll() throws Exception;
}
