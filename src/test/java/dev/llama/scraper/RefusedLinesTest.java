package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RefusedLinesTest {
    private static final List<String> LINES = List.of(
            "raw_stats,dst_ip=10.0.0.1 rtt=1.5,loss=0.0 1700000000",
            "conflict,k=v value=1.0 1700000000",
            "bad line",
            "conflict,k=w value=\"text, with = and \\\" quote\",other=2.0 1700000000",
            "conflict,k=x other=1.0,value=3.0 1700000000");

    @Test
    void unparsableLinesAreNamedEachOnItsOwnLine() {
        String error = "partial write:\nunable to parse 'bad line': invalid field format\n"
                + "unable to parse 'raw_stats,dst_ip=10.0.0.1 rtt=1.5,loss=0.0 1700000000': bad timestamp dropped=0";
        assertThat(RefusedLines.find(error, LINES).stream().boxed().toList()).containsExactly(0, 2);
    }

    @Test
    void aTypeConflictNamesTheLinesWithThatFieldOfThatTypeWhenTheCountMatches() {
        String error = "partial write: field type conflict: input field \"value\" on measurement \"conflict\" is type float, "
                + "already exists as type string dropped=2";
        assertThat(RefusedLines.find(error, LINES).stream().boxed().toList()).containsExactly(1, 4);
        assertThat(RefusedLines.find(error.replace("dropped=2", "dropped=3"), LINES).isEmpty())
                .as("a count that does not match: something else was dropped too, so halve").isTrue();
        assertThat(RefusedLines.find(error.replace("is type float", "is type string").replace("dropped=2", "dropped=1"), LINES)
                .stream().boxed().toList()).containsExactly(3);
    }

    @Test
    void otherRefusalsNameNothing() {
        assertThat(RefusedLines.find("partial write: points beyond retention policy dropped=1", LINES).isEmpty()).isTrue();
        assertThat(RefusedLines.find("", LINES).isEmpty()).isTrue();
    }

    @Test
    void fieldTypesFollowLineProtocol() {
        assertThat(RefusedLines.fieldType("m,t=a\\ b v=1i,w=2.5,s=\"x y\",b=true 1", "v")).isEqualTo("integer");
        assertThat(RefusedLines.fieldType("m,t=a\\ b v=1i,w=2.5,s=\"x y\",b=true 1", "w")).isEqualTo("float");
        assertThat(RefusedLines.fieldType("m,t=a\\ b v=1i,w=2.5,s=\"x y\",b=true 1", "s")).isEqualTo("string");
        assertThat(RefusedLines.fieldType("m,t=a\\ b v=1i,w=2.5,s=\"x y\",b=true 1", "b")).isEqualTo("boolean");
        assertThat(RefusedLines.fieldType("m v=1.0 1", "absent")).isNull();
        assertThat(RefusedLines.measurement("my\\ m\\,x,t=1 v=1")).isEqualTo("my m,x");
    }
}
