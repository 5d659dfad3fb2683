package dev.llama.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlagsTest {

    private static Flags flags() {
        return new Flags("test", "for tests").decimal("max-pps", 5000, "rate").bool("quiet", "no output").integer("port", 8100, "port");
    }

    @ParameterizedTest
    @CsvSource({"2500.5, 2500.5", "1e4, 10000", "1E4, 10000", "0, 0", ".5, 0.5", "5., 5", "+7, 7", "2.5e-1, 0.25"})
    void acceptsGoFloats(String text, double expected) {
        assertThat(flags().parse(List.of("-max-pps", text)).decimal("max-pps")).isEqualTo(expected);
        assertThat(flags().parse(List.of("-max-pps=" + text)).decimal("max-pps")).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1d", "1f", " 1", "1 ", "0x1p3", "NaN", "Infinity", "1e999", "", "e4", "1e", "1,5"})
    void refusesWhatGoRefuses(String text) {
        assertThatThrownBy(() -> flags().parse(List.of("-max-pps", text)))
                .isInstanceOf(UsageException.class).hasMessageContaining("-max-pps");
    }

    @Test
    void floatDefaultAndRange() {
        var f = flags().parse(List.of());
        assertThat(f.decimal("max-pps", 0, 1e7)).isEqualTo(5000.0);
        assertThatThrownBy(() -> flags().parse(List.of("-max-pps", "-1")).decimal("max-pps", 0, 1e7))
                .isInstanceOf(UsageException.class).hasMessageContaining("must be");
        var out = new ByteArrayOutputStream();
        f.usage(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("-max-pps float").contains("(default 5000)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "t", "T", "TRUE", "true", "True"})
    void acceptsGoTrue(String text) {
        assertThat(flags().parse(List.of("-quiet=" + text)).bool("quiet")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "f", "F", "FALSE", "false", "False"})
    void acceptsGoFalse(String text) {
        assertThat(flags().parse(List.of("-quiet=" + text)).bool("quiet")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "tRUE", "2", "", "on"})
    void refusesOtherBools(String text) {
        assertThatThrownBy(() -> flags().parse(List.of("--quiet=" + text)))
                .isInstanceOf(UsageException.class).hasMessageContaining("-quiet");
    }

    @Test
    void bareBoolIsTrueAndDoesNotTakeTheNextArgument() {
        assertThat(flags().parse(List.of("-quiet")).bool("quiet")).isTrue();
        assertThat(flags().parse(List.of()).bool("quiet")).isFalse();
        // As in Go, "-quiet false" is a bool flag followed by a positional argument.
        assertThatThrownBy(() -> flags().parse(List.of("-quiet", "false"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("unexpected argument");
    }
}
