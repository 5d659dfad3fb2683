package dev.llama.testutil;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Command lines that run {@code dev.llama.Main} in another JVM with this test's classpath. */
public final class ChildJvm {
    private ChildJvm() {
    }

    public static List<String> command(String... args) {
        var cmd = new ArrayList<String>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.llama.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Stops a child by its PID: SIGTERM, then SIGKILL after five seconds. */
    public static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** What a child wrote to its log file so far, for conditions and failure messages. */
    public static String output(Path log) {
        try {
            return java.nio.file.Files.readString(log);
        } catch (Exception e) {
            return "(no output: " + e + ")";
        }
    }
}
