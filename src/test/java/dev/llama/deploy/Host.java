package dev.llama.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Host commands for the deploy tests: run one to completion, or start one and stop its whole tree. */
final class Host {
    /** What a finished command left: its exit code and its stdout and stderr together. */
    record Result(int code, String output) {
    }

    private Host() {
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Whether {@code tool} is on the PATH. */
    static boolean has(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command}, killing it after {@code timeout}; never throws for a non-zero exit. */
    static Result run(Duration timeout, String... command) {
        try {
            Path out = Files.createTempFile("llama-deploy", ".out");
            try {
                var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    stop(process);
                    return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", command) + "\n" + read(out));
                }
                return new Result(process.exitValue(), read(out));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Runs {@code command} and asserts it exits 0; returns its output. */
    static String ok(Duration timeout, String... command) {
        var result = run(timeout, command);
        assertThat(result.code()).as("%s\n%s", String.join(" ", command), result.output()).isZero();
        return result.output();
    }

    /** Starts {@code command} in the background with its output in {@code log}. */
    static Process start(Path log, String... command) throws IOException {
        return new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Ends {@code process} and every process under it (a container's JVM runs under buildah), TERM then KILL. */
    static void stop(Process process) throws InterruptedException {
        var tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        for (var p : tree) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        process.waitFor(10, TimeUnit.SECONDS);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
