package dev.llama.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProbeKeysTest {

    @Test
    void readsKeysInOrderSkippingCommentsAndBlankLines() {
        var keys = ProbeKeys.parse("# rotated 2024-05\n\n2 0123456789abcdef0123456789abcdef\n4294967295\tsixteen-chars-ok\n1 old-secret-still-valid\n", "k");
        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.id(0)).as("the first key signs").isEqualTo(2);
        assertThat(keys.indexOf(4294967295L)).isEqualTo(1);
        assertThat(keys.indexOf(1)).isEqualTo(2);
        assertThat(keys.indexOf(3)).isEqualTo(-1);
        assertThat(keys.toString()).doesNotContain("secret");
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertBad("1 short", "keys.txt:1: a secret is at least 16");
        assertBad("# c\n0 0123456789abcdef", "keys.txt:2: key id 0 is not 1-4294967295");
        assertBad("4294967296 0123456789abcdef", "keys.txt:1: key id 4294967296");
        assertBad("x1 0123456789abcdef", "keys.txt:1: key id \"x1\" is not a decimal");
        assertBad("-1 0123456789abcdef", "keys.txt:1: key id \"-1\"");
        assertBad("1 0123456789abcdef\n\n1 fedcba9876543210", "keys.txt:3: key id 1 appears twice");
        assertBad("1 0123456789abcdef extra", "keys.txt:1: expected \"ID SECRET\"");
        assertBad("1 0123456789abcdé0", "keys.txt:1: a secret is at least 16 printable ASCII");
        assertBad("# nothing\n", "keys.txt: no keys");
    }

    private static void assertBad(String text, String message) {
        assertThatThrownBy(() -> ProbeKeys.parse(text, "keys.txt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }
}
