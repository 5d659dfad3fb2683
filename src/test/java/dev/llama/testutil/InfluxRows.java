package dev.llama.testutil;

import dev.llama.bench.LocalInfluxd;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads InfluxDB query answers as rows: a series' tags, the time in epoch seconds, the columns' values. */
public final class InfluxRows {
    private InfluxRows() {
    }

    /** One row of a series. */
    public record Row(String measurement, Map<String, String> tags, long time, JsonObject values) {
        public double number(String column) {
            return values.getNumber(column).doubleValue();
        }
    }

    /** Rows of a query; add {@code GROUP BY *} to get the tags. Fails on a query error. */
    public static List<Row> select(LocalInfluxd influxd, String database, String query) {
        JsonObject answer;
        try {
            answer = influxd.query(database, query);
        } catch (Exception e) {
            throw new AssertionError("query failed: " + query, e);
        }
        var rows = new ArrayList<Row>();
        for (Object r : answer.getJsonArray("results")) {
            var result = (JsonObject) r;
            if (result.containsKey("error")) {
                throw new AssertionError("query " + query + ": " + result.getString("error"));
            }
            for (Object s : result.getJsonArray("series", new JsonArray())) {
                var series = (JsonObject) s;
                var tags = new TreeMap<String, String>();
                series.getJsonObject("tags", new JsonObject()).forEach(e -> {
                    if (!String.valueOf(e.getValue()).isEmpty()) {
                        tags.put(e.getKey(), String.valueOf(e.getValue()));
                    }
                });
                var columns = series.getJsonArray("columns");
                for (Object v : series.getJsonArray("values")) {
                    var values = (JsonArray) v;
                    var row = new JsonObject();
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.getString(i), values.getValue(i));
                    }
                    long time = row.getValue("time") instanceof Number n ? n.longValue() : 0;
                    rows.add(new Row(series.getString("name"), tags, time, row));
                }
            }
        }
        return rows;
    }

    /** Rows of {@code SELECT * FROM raw_stats GROUP BY *}, possibly empty (also when the database does not exist yet). */
    public static List<Row> rawStats(LocalInfluxd influxd, String database) {
        try {
            return select(influxd, database, "SELECT * FROM raw_stats GROUP BY *");
        } catch (AssertionError e) {
            if (String.valueOf(e.getMessage()).contains("database not found")) {
                return List.of();
            }
            throw e;
        }
    }
}
