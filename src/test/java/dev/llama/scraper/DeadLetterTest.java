package dev.llama.scraper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterTest {
    @TempDir
    Path dir;

    @Test
    void aFullFileBecomesDotOneAndANewOneStartsSoAtMostTwiceTheCapIsKept() throws Exception {
        var deadLetter = new DeadLetter(dir.resolve("dead-letter.lp"), 1_000);
        var written = new ArrayList<String>();
        for (int i = 0; i < 50; i++) {
            String line = "m,k=v" + i + " value=" + i + ".0 " + (1_700_000_000 + i);
            written.add(line);
            deadLetter.append("source", "reason " + i, List.of(line));
            assertThat(Files.size(deadLetter.file())).isLessThanOrEqualTo(1_000);
        }
        assertThat(Files.list(dir)).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("dead-letter.lp", "dead-letter.lp.1");
        assertThat(Files.size(deadLetter.previous())).isLessThanOrEqualTo(1_000).isGreaterThan(500);
        var kept = new ArrayList<String>(Files.readAllLines(deadLetter.previous()));
        kept.addAll(Files.readAllLines(deadLetter.file()));
        var points = kept.stream().filter(l -> !l.startsWith("#")).toList();
        assertThat(points).as("the newest lines, in order, with nothing missing in between")
                .isEqualTo(written.subList(written.size() - points.size(), written.size()));
        assertThat(kept.get(0)).startsWith("# ").contains("source: reason");
    }

    @Test
    void aSingleAppendLargerThanTheCapIsStillWritten() throws Exception {
        var deadLetter = new DeadLetter(dir.resolve("dead-letter.lp"), 10);
        deadLetter.append("s", "r", List.of("m v=1.0 1"));
        deadLetter.append("s", "r", List.of("m v=2.0 2"));
        assertThat(Files.readString(deadLetter.file())).contains("m v=2.0 2");
        assertThat(Files.readString(deadLetter.previous())).contains("m v=1.0 1");
    }
}
