package dev.llama.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "web-1|web-1|5000|web-1:5000",
        "web-1:80|web-1|80|web-1:80",
        "10.0.0.1:7|10.0.0.1|7|10.0.0.1:7",
        "[::1]:7|::1|7|[::1]:7",
        "[::1]|::1|5000|[::1]:5000",
        "fe80::1|fe80::1|5000|[fe80::1]:5000",
    })
    void parsesTheForms(String text, String host, int port, String written) {
        var hp = HostPort.parse("k", text, 5000);
        assertThat(hp).isEqualTo(new HostPort(host, port));
        assertThat(hp).hasToString(written);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a:b|bad port", "a:99999|bad port", "a/b|not a host", "[::1|expected host", "''|not a host",
        "x:y:z|not a host", "[::1]x|expected host"})
    void refusesNamingTheKey(String text, String problem) {
        assertThatThrownBy(() -> HostPort.parse("scraper.collectors", text, 5000))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("scraper.collectors: ").hasMessageContaining(problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"127.0.0.1:5000|127.0.0.1|5000", "0.0.0.0:0|0.0.0.0|0", "[::1]:80|::1|80"})
    void addressesAreIpAndPort(String text, String ip, int port) {
        assertThat(HostPort.address("api.bind", text)).isEqualTo(new InetSocketAddress(ip, port));
    }

    @ParameterizedTest
    @CsvSource({"nowhere", "localhost:5000", "127.0.0.1", "::1:5000", "127.0.0.1:x"})
    void addressesRefuseTheRest(String text) {
        assertThatThrownBy(() -> HostPort.address("api.bind", text)).hasMessage("api.bind: expected IP:PORT, got " + text);
    }
}
