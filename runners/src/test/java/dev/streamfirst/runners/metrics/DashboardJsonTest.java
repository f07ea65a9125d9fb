package dev.streamfirst.runners.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.junit.Test;

/**
 * The Grafana dashboard has what Grafana's dashboard model needs to import it: a uid, a title, a
 * schema version, a Prometheus data-source variable that every panel and query uses, and panels
 * with unique ids, a grid position and queries with unique ref ids. ClusterPrometheusIT runs each
 * query against a real Prometheus.
 */
public class DashboardJsonTest {
  @Test
  public void dashboard_followsGrafanasModel() throws Exception {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(
                Files.readString(
                    PrometheusTools.monitoring().resolve("grafana/streamfirst-dashboard.json")));
    assertEquals("streamfirst-jobs", dashboard.path("uid").asText());
    assertFalse(dashboard.path("title").asText().isBlank());
    assertTrue(dashboard.path("schemaVersion").asInt() >= 36);
    JsonNode variable = dashboard.path("templating").path("list").get(0);
    assertEquals("datasource", variable.path("type").asText());
    assertEquals("prometheus", variable.path("query").asText());
    String source = "${" + variable.path("name").asText() + "}";

    Set<Integer> ids = new HashSet<>();
    int queries = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      String title = panel.path("title").asText();
      assertTrue(title, ids.add(panel.path("id").asInt()));
      assertEquals(title, "timeseries", panel.path("type").asText());
      for (String field : new String[] {"h", "w", "x", "y"}) {
        assertTrue(title + " gridPos." + field, panel.path("gridPos").path(field).isInt());
      }
      assertEquals(title, source, panel.path("datasource").path("uid").asText());
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : panel.path("targets")) {
        assertTrue(title, refIds.add(target.path("refId").asText()));
        assertEquals(title, source, target.path("datasource").path("uid").asText());
        assertFalse(title, target.path("expr").asText().isBlank());
        queries++;
      }
      assertFalse(title + " has no query", refIds.isEmpty());
    }
    assertEquals(8, ids.size());
    assertEquals(20, queries);
  }
}
