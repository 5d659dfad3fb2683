package dev.llama.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Two racks of hosts on one machine: each host a network namespace with a veth pair to its rack's
 * router namespace, the two routers joined by one veth pair (the inter-rack link), and this namespace
 * joined to router A so that a process here reaches every host. Addresses in 198.19.0.0/16 (inside the
 * benchmarking range 198.18.0.0/15): rack A hosts in 198.19.1.0/24, rack B in 198.19.2.0/24, the
 * inter-rack link 198.19.0.0/30, this namespace's link 198.19.3.0/30 (here: {@link #ROOT_IP}).
 * nftables rules go into a {@code forward} chain of either router.
 */
final class RackFabric implements AutoCloseable {
    static final String ROOT_IP = "198.19.3.1";
    private final String tag = "l" + ProcessHandle.current().pid() % 100_000;
    private final String routerA = tag + "ra";
    private final String routerB = tag + "rb";
    private final String rootIf = tag + "r0";
    /** Host name to its namespace and IP, in rack order. */
    private final Map<String, String[]> hosts = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();

    /** The link's interface name in router A's namespace. */
    final String linkIfA = tag + "ab";

    /**
     * Builds the fabric with {@code perRack} hosts in each rack, named a1.., b1...
     */
    RackFabric(int perRack) throws IOException {
        close();
        try {
            addNs(routerA);
            addNs(routerB);
            for (String r : List.of(routerA, routerB)) {
                exec(r, "sysctl", "-qw", "net.ipv4.ip_forward=1");
                exec(r, "sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0");
            }
            veth(linkIfA, routerA, "198.19.0.1/30", tag + "ba", routerB, "198.19.0.2/30");
            run("ip", "link", "add", rootIf, "type", "veth", "peer", "name", tag + "r1");
            run("ip", "link", "set", tag + "r1", "netns", routerA);
            run("ip", "addr", "add", ROOT_IP + "/30", "dev", rootIf);
            run("ip", "link", "set", rootIf, "up");
            exec(routerA, "ip", "addr", "add", "198.19.3.2/30", "dev", tag + "r1");
            exec(routerA, "ip", "link", "set", tag + "r1", "up");
            run("ip", "route", "add", "198.19.1.0/24", "via", "198.19.3.2");
            run("ip", "route", "add", "198.19.2.0/24", "via", "198.19.3.2");
            exec(routerA, "ip", "route", "add", "198.19.2.0/24", "via", "198.19.0.2");
            exec(routerB, "ip", "route", "add", "198.19.1.0/24", "via", "198.19.0.1");
            exec(routerB, "ip", "route", "add", "198.19.3.0/30", "via", "198.19.0.1");
            for (int rack = 1; rack <= 2; rack++) {
                for (int i = 1; i <= perRack; i++) {
                    host(rack, i);
                }
            }
            for (String r : List.of(routerA, routerB)) {
                exec(r, "nft", "add table inet llama");
                exec(r, "nft", "add chain inet llama forward { type filter hook forward priority 0 ; policy accept ; }");
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void host(int rack, int i) throws IOException {
        String name = (rack == 1 ? "a" : "b") + i;
        String ns = tag + name;
        String router = rack == 1 ? routerA : routerB;
        String net = "198.19." + rack + ".";
        addNs(ns);
        veth(tag + name + "h", ns, net + (4 * i + 2) + "/30", tag + name + "g", router, net + (4 * i + 1) + "/30");
        exec(ns, "ip", "route", "add", "default", "via", net + (4 * i + 1));
        hosts.put(name, new String[] {ns, net + (4 * i + 2)});
    }

    private void addNs(String ns) throws IOException {
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        exec(ns, "ip", "link", "set", "lo", "up");
    }

    private void veth(String a, String nsA, String ipA, String b, String nsB, String ipB) throws IOException {
        run("ip", "link", "add", a, "type", "veth", "peer", "name", b);
        run("ip", "link", "set", a, "netns", nsA);
        run("ip", "link", "set", b, "netns", nsB);
        exec(nsA, "ip", "addr", "add", ipA, "dev", a);
        exec(nsB, "ip", "addr", "add", ipB, "dev", b);
        exec(nsA, "ip", "link", "set", a, "up");
        exec(nsB, "ip", "link", "set", b, "up");
    }

    List<String> hostNames() {
        return List.copyOf(hosts.keySet());
    }

    String ip(String host) {
        return hosts.get(host)[1];
    }

    /** Starts {@code command} in the host's namespace, its output appended to {@code log}. */
    Process start(String host, Path log, List<String> command) throws IOException {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", hosts.get(host)[0]));
        full.addAll(command);
        return new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Adds an nftables rule ({@code nft add rule inet llama forward <rule>}) to rack {@code a} or {@code b}'s router. */
    void rule(char rack, String rule) throws IOException {
        exec(rack == 'a' ? routerA : routerB, "nft", "add rule inet llama forward " + rule);
    }

    /** Removes every rule from both routers. */
    void clearRules() throws IOException {
        for (String r : List.of(routerA, routerB)) {
            exec(r, "nft", "flush chain inet llama forward");
        }
    }

    private static String exec(String ns, String... command) throws IOException {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    static String run(String... command) throws IOException {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.trim());
        }
        return out;
    }

    @Override
    public void close() {
        List<String> all = new ArrayList<>(List.of(routerA, routerB));
        for (char r : new char[] {'a', 'b'}) {
            for (int i = 1; i <= 9; i++) {
                all.add(tag + r + i);
            }
        }
        for (String ns : all) {
            quietly("ip", "netns", "del", ns);
        }
        quietly("ip", "link", "del", rootIf);
        hosts.clear();
        namespaces.clear();
    }

    private static void quietly(String... command) {
        try {
            run(command);
        } catch (IOException ignored) {
            // absent already
        }
    }
}
