package dev.llama.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace joined to this one by a veth pair, for tests that need the kernel to do
 * something to packets (drop them with nftables). Addresses are in 198.18.0.0/15, the range set aside
 * for benchmarking, and exist only on the pair.
 */
public final class Netns implements AutoCloseable {
    public final String name;
    public final String hostIp;
    public final String nsIp;
    private final String hostIf;

    private Netns(String name, String hostIf, String hostIp, String nsIp) {
        this.name = name;
        this.hostIf = hostIf;
        this.hostIp = hostIp;
        this.nsIp = nsIp;
    }

    /** Why namespaces cannot be made here, or null when they can. */
    public static String unavailable() {
        try {
            if (!run(List.of("id", "-u")).trim().equals("0")) {
                return "not root";
            }
            run(List.of("ip", "-V"));
            run(List.of("nft", "--version"));
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    public static Netns create() throws IOException {
        long pid = ProcessHandle.current().pid();
        String name = "llama-t" + pid;
        String hostIf = "llv" + (pid % 100_000) + "h";
        String nsIf = "llv" + (pid % 100_000) + "n";
        int subnet = (int) (pid % 64) * 4;
        String hostIp = "198.18.0." + (subnet + 1);
        String nsIp = "198.18.0." + (subnet + 2);
        quietly(List.of("ip", "netns", "del", name));
        quietly(List.of("ip", "link", "del", hostIf));
        var ns = new Netns(name, hostIf, hostIp, nsIp);
        try {
            run(List.of("ip", "netns", "add", name));
            run(List.of("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf));
            run(List.of("ip", "link", "set", nsIf, "netns", name));
            run(List.of("ip", "addr", "add", hostIp + "/30", "dev", hostIf));
            run(List.of("ip", "link", "set", hostIf, "up"));
            ns.exec("ip", "addr", "add", nsIp + "/30", "dev", nsIf);
            ns.exec("ip", "link", "set", nsIf, "up");
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (IOException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Runs a command inside the namespace and returns its output. */
    public String exec(String... command) throws IOException {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full);
    }

    /** Starts a long-running process inside the namespace, its output going to {@code log}. */
    public Process start(java.nio.file.Path log, List<String> command) throws IOException {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static String run(List<String> command) throws IOException {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.trim());
        }
        return out;
    }

    private static void quietly(List<String> command) {
        try {
            run(command);
        } catch (IOException ignored) {
            // absent already
        }
    }

    @Override
    public void close() {
        quietly(List.of("ip", "netns", "del", name));
        quietly(List.of("ip", "link", "del", hostIf));
    }
}
