package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.bench.LocalInfluxd;
import dev.llama.testutil.InfluxRows;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code conf/grafana/llama-dashboard.json} is valid JSON for Grafana's import, and every InfluxQL
 * query in it (panels and variables) runs against a real influxd holding data in the original
 * scraper's shape (measurement {@code raw_stats}, tags {@code src_ip}/{@code dst_ip}, float fields
 * {@code rtt}, {@code loss}, {@code lost}, {@code sent} and nothing else) and returns data.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("conf", "grafana", "llama-dashboard.json");
    private static LocalInfluxd influxd;
    private static long now;

    @BeforeAll
    static void startInfluxdWithOriginalData() throws Exception {
        influxd = LocalInfluxd.start();
        influxd.createDatabase("llama");
        now = System.currentTimeMillis() / 1000 / 30 * 30;
        var lines = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            long t = now - 30L * (12 - i);
            // what the original Go scraper writes: floats, two tags
            lines.append("raw_stats,dst_ip=127.0.0.2,src_ip=127.0.0.1 loss=0,lost=0,rtt=0.05,sent=40 ").append(t).append('\n');
            lines.append("raw_stats,dst_ip=127.0.0.3,src_ip=127.0.0.1 loss=25,lost=10,rtt=0.07,sent=40 ").append(t).append('\n');
            lines.append("raw_stats,dst_ip=127.0.0.2,src_ip=127.0.0.4 loss=100,lost=40,rtt=0,sent=40 ").append(t).append('\n');
        }
        assertThat(influxd.write("llama", lines.toString()).statusCode()).isEqualTo(204);
    }

    @AfterAll
    static void stop() throws Exception {
        if (influxd != null) {
            influxd.close();
        }
    }

    @Test
    void theDashboardIsValidForImportAndNamesTheOriginalMeasurementAndFieldsOnly() throws Exception {
        var dashboard = new JsonObject(Files.readString(DASHBOARD));
        assertThat(dashboard.getString("title")).isNotBlank();
        assertThat(dashboard.getString("uid")).isNotBlank();
        assertThat(dashboard.getJsonArray("__inputs").getJsonObject(0).getString("pluginId")).isEqualTo("influxdb");
        var panels = dashboard.getJsonArray("panels");
        assertThat(panels).hasSizeGreaterThanOrEqualTo(4);
        var types = new ArrayList<String>();
        var ids = new ArrayList<Integer>();
        for (Object p : panels) {
            var panel = (JsonObject) p;
            types.add(panel.getString("type"));
            ids.add(panel.getInteger("id"));
            assertThat(panel.getJsonObject("gridPos").fieldNames()).contains("h", "w", "x", "y");
        }
        assertThat(types).contains("table", "timeseries");
        assertThat(ids).doesNotHaveDuplicates();
        for (String q : queries(dashboard)) {
            assertThat(q).contains("\"raw_stats\"");
            assertThat(q.replaceAll("\"(raw_stats|src_ip|dst_ip|rtt|loss|lost|sent|lost_sum)\"", "").replaceAll("AS \"[^\"]*\"", ""))
                    .as("only the original's names: " + q).doesNotContain("\"");
        }
    }

    @Test
    void everyQueryRunsAgainstRealInfluxdbAndReturnsData() throws Exception {
        var dashboard = new JsonObject(Files.readString(DASHBOARD));
        var queries = queries(dashboard);
        assertThat(queries).hasSizeGreaterThanOrEqualTo(7);
        for (var variables : List.of(Map.of("src", ".*", "dst", ".*"), Map.of("src", "127\\.0\\.0\\.1", "dst", "(127\\.0\\.0\\.2|127\\.0\\.0\\.3)"))) {
            for (String q : queries) {
                String sql = q.replace("$timeFilter", "time > now() - 1h").replace("$__interval", "1m");
                for (var v : variables.entrySet()) {
                    sql = sql.replace("$" + v.getKey(), v.getValue());
                }
                var rows = InfluxRows.select(influxd, "llama", sql);
                assertThat(rows).as(sql).isNotEmpty();
            }
        }
        var matrix = InfluxRows.select(influxd, "llama", queries.stream().filter(q -> q.contains("last(\"loss\")")).findFirst().orElseThrow()
                .replace("$timeFilter", "time > now() - 1h").replace("$src", ".*").replace("$dst", ".*"));
        var loss = new HashMap<String, Double>();
        matrix.forEach(r -> loss.put(r.tags().get("src_ip") + ">" + r.tags().get("dst_ip"), r.number("loss")));
        assertThat(loss).containsExactlyInAnyOrderEntriesOf(Map.of("127.0.0.1>127.0.0.2", 0.0, "127.0.0.1>127.0.0.3", 25.0,
                "127.0.0.4>127.0.0.2", 100.0));
        var worst = InfluxRows.select(influxd, "llama", queries.stream().filter(q -> q.contains("TOP(")).findFirst().orElseThrow()
                .replace("$timeFilter", "time > now() - 1h").replace("$src", ".*").replace("$dst", ".*"));
        assertThat(worst.get(0).values().getString("src_ip")).isEqualTo("127.0.0.4");
        assertThat(worst.get(0).number("lost")).isEqualTo(480.0);
    }

    /** Every InfluxQL query in the dashboard: panel targets and variable definitions. */
    private static List<String> queries(JsonObject dashboard) {
        var out = new ArrayList<String>();
        for (Object p : dashboard.getJsonArray("panels")) {
            for (Object t : ((JsonObject) p).getJsonArray("targets", new JsonArray())) {
                var target = (JsonObject) t;
                assertThat(target.getBoolean("rawQuery")).isTrue();
                out.add(target.getString("query"));
            }
        }
        for (Object v : dashboard.getJsonObject("templating").getJsonArray("list")) {
            out.add(((JsonObject) v).getString("query"));
        }
        return out;
    }
}
