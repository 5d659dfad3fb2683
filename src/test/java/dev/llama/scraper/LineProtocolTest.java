package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineProtocolTest {

    private static String line(String measurement, Map<String, String> tags, Map<String, Object> fields) {
        return LineProtocol.point(new StringBuilder(), measurement, tags, fields, 1795000000L).toString();
    }

    @Test
    void originalPointShape() {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("rtt", 0.168438);
        fields.put("loss", 0.0);
        fields.put("lost", 0.0);
        fields.put("sent", 124.0);
        assertThat(line("raw_stats", Map.of("src_ip", "10.0.0.5", "dst_ip", "10.1.2.3", "dst_hostname", "web-1"), fields))
                .isEqualTo("raw_stats,dst_hostname=web-1,dst_ip=10.1.2.3,src_ip=10.0.0.5 rtt=0.168438,loss=0.0,lost=0.0,sent=124.0 1795000000\n");
    }

    @ParameterizedTest(name = "tag value [{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "'a b'|a\\ b",
        "'a,b'|a\\,b",
        "'a=b'|a\\=b",
        "'say \"hi\"'|say\\ \"hi\"",
        "'back\\slash'|back\\slash",
        "'Zürich – 東京'|Zürich\\ –\\ 東京",
        "' lead'|\\ lead",
    })
    void escapesTagValues(String value, String escaped) {
        assertThat(line("m", Map.of("k", value), Map.of("f", 1.0))).isEqualTo("m,k=" + escaped + " f=1.0 1795000000\n");
    }

    @Test
    void escapesMeasurementAndKeys() {
        assertThat(line("raw stats,x", Map.of("a b=c", "v"), Map.of("f,1=2 3", 1.0)))
                .isEqualTo("raw\\ stats\\,x,a\\ b\\=c=v f\\,1\\=2\\ 3=1.0 1795000000\n");
        assertThat(line("m=eq", Map.of(), Map.of("f", 1.0))).as("= is literal in a measurement").startsWith("m=eq f=1.0");
    }

    @Test
    void fieldTypes() {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("d", 3.0);
        fields.put("big", 1e21);
        fields.put("i", 7L);
        fields.put("b", true);
        fields.put("s", "quote \" and \\ slash");
        assertThat(line("m", Map.of(), fields))
                .isEqualTo("m d=3.0,big=1.0E21,i=7i,b=true,s=\"quote \\\" and \\\\ slash\" 1795000000\n");
    }

    @Test
    void emptyTagValuesAreLeftOut() {
        assertThat(line("m", Map.of("a", "", "b", "x"), Map.of("f", 1.0))).isEqualTo("m,b=x f=1.0 1795000000\n");
    }

    @Test
    void refusesWhatCannotBeWritten() {
        assertThatThrownBy(() -> line("m", Map.of("k", "two\nlines"), Map.of("f", 1.0))).hasMessageContaining("newline");
        assertThatThrownBy(() -> line("m", Map.of(), Map.of("s", "a\rb"))).hasMessageContaining("newline");
        assertThatThrownBy(() -> line("m", Map.of("k", "ends\\"), Map.of("f", 1.0))).hasMessageContaining("backslash");
        assertThatThrownBy(() -> line("m", Map.of(), Map.of("f", Double.NaN))).hasMessageContaining("NaN");
        assertThatThrownBy(() -> line("m", Map.of(), Map.of())).hasMessageContaining("at least one field");
        assertThatThrownBy(() -> line("", Map.of(), Map.of("f", 1.0))).hasMessageContaining("empty measurement");
    }

    @Test
    void aRefusedPointLeavesTheBatchAsItWas() {
        var batch = LineProtocol.point(new StringBuilder(), "m", Map.of(), Map.of("f", 1.0), 1L);
        String before = batch.toString();
        assertThatThrownBy(() -> LineProtocol.point(batch, "m", Map.of("a", "ok"), Map.of("s", "bad\nline"), 2L));
        assertThat(batch).hasToString(before);
    }
}
