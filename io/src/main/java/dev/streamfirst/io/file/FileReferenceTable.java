package dev.streamfirst.io.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamfirst.io.IoUri;
import dev.streamfirst.transforms.enrich.ReferenceTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Reference data in JSON-lines files: one JSON object per line, keyed by one of its fields. Read
 * through Beam's file systems, so every file a glob matches is read, on the worker.
 *
 * <pre>{@code
 * ReferenceTable sites = FileReferenceTable.fromUri("file:///data/ref/sites.jsonl?key=site_id");
 * }</pre>
 */
public final class FileReferenceTable implements ReferenceTable {
  public static final String EXAMPLE = "file:///abs/accounts.jsonl?key=account_id";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String pattern;
  private final String keyField;

  private FileReferenceTable(String pattern, String keyField) {
    this.pattern = pattern;
    this.keyField = keyField;
  }

  /** The files of a {@code file:///abs/path?key=<field>} URI. */
  public static FileReferenceTable fromUri(IoUri uri) {
    // '?' is also a glob character in file paths: FilePaths finds where the parameters start.
    String path = FilePaths.absolutePath(uri, EXAMPLE);
    int query = FilePaths.queryStart(uri.body());
    String parameter = query < 0 ? "" : uri.body().substring(query + 1);
    if (!parameter.startsWith("key=") || parameter.length() == 4 || parameter.contains("&")) {
      throw new IllegalArgumentException(
          "a file reference takes one parameter, key=<field holding the key>, got '"
              + (query < 0 ? "" : "?" + parameter)
              + "' in '"
              + uri
              + "'; e.g. "
              + EXAMPLE);
    }
    return new FileReferenceTable(
        path, URLDecoder.decode(parameter.substring(4), StandardCharsets.UTF_8));
  }

  @Override
  public Map<String, String> readAll() throws IOException {
    List<MatchResult.Metadata> files = FileSystems.match(pattern).metadata();
    if (files.isEmpty()) {
      throw new IOException("no reference file matches " + pattern);
    }
    Map<String, String> records = new HashMap<>();
    for (MatchResult.Metadata file : files) {
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(FileSystems.open(file.resourceId())),
                  StandardCharsets.UTF_8))) {
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          JsonNode record = JSON.readTree(line);
          JsonNode key = record == null ? null : record.get(keyField);
          if (record == null || !record.isObject() || key == null || !key.isValueNode()) {
            throw new IOException(
                file.resourceId()
                    + " line "
                    + number
                    + ": expected a JSON object with field '"
                    + keyField
                    + "'");
          }
          records.put(key.asText(), record.toString());
        }
      }
    }
    return records;
  }

  @Override
  public String toString() {
    return "JSON lines " + pattern + " keyed by " + keyField;
  }
}
