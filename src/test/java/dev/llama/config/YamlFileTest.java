package dev.llama.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlFileTest {
    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        return Files.writeString(dir.resolve("x.yaml"), text);
    }

    @Test
    void readsWhatTheCollectorsYamlStoreReads() throws Exception {
        var json = YamlFile.read(file("tests:\n  - {targets: t, 1: x}\nsummarization: {interval: 30}\n"));
        assertThat(json.getJsonArray("tests").getJsonObject(0).getString("1")).isEqualTo("x");
        assertThat(json.getJsonObject("summarization").getInteger("interval")).isEqualTo(30);
    }

    @Test
    void aSyntaxErrorNamesTheFileAndLine() throws Exception {
        Path f = file("ports: {p: {ip: 127.0.0.1}}\ntests: [{targets: t\nrate_limits: {}\n");
        assertThatThrownBy(() -> YamlFile.read(f)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f + ": line 3, column ").hasMessageNotContaining("'string'");
    }

    @Test
    void aDuplicateKeyIsAnErrorNamingTheKey() throws Exception {
        Path f = file("tests: []\nports: {}\ntests: [{targets: t}]\n");
        assertThatThrownBy(() -> YamlFile.read(f)).hasMessage(f + ": line 3, column 1: duplicate key \"tests\"");
        Path nested = file("ports:\n  p: {ip: 127.0.0.1, ip: 127.0.0.2}\n");
        assertThatThrownBy(() -> YamlFile.read(nested)).hasMessageContaining("line 2").hasMessageContaining("duplicate key \"ip\"");
    }

    @Test
    void anEmptyFileIsAnError() throws Exception {
        Path empty = file("");
        assertThatThrownBy(() -> YamlFile.read(empty)).hasMessage(empty + ": the file is empty");
        Path comments = file("# nothing here yet\n\n");
        assertThatThrownBy(() -> YamlFile.read(comments)).hasMessage(comments + ": the file is empty");
    }

    @Test
    void theTopMustBeAMapping() throws Exception {
        Path f = file("- a\n- b\n");
        assertThatThrownBy(() -> YamlFile.read(f)).hasMessageStartingWith(f + ": expected a mapping");
        assertThatThrownBy(() -> YamlFile.read(dir.resolve("missing.yaml"))).hasMessageStartingWith(dir.resolve("missing.yaml") + ": cannot read");
    }
}
