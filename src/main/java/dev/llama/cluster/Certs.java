package dev.llama.cluster;

import dev.llama.config.Flags;
import dev.llama.config.IpLiteral;
import dev.llama.config.Keys;
import dev.llama.config.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code llama certs}: a small certificate authority and one certificate per node for a test or lab
 * cluster, made by the {@code openssl} command (EC P-256, PEM), plus the cluster secret. In {@code dir}:
 * {@code ca.pem}, {@code ca-key.pem}, {@code NAME.pem}, {@code NAME-key.pem}, {@code cluster.secret}.
 * An existing CA and secret are kept, so running it again adds nodes to the same cluster.
 */
public final class Certs {
    /** The file with the cluster secret, next to the certificates. */
    public static final String SECRET = "cluster.secret";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Certs() {
    }

    public static Flags flags() {
        return new Flags("certs", "Makes a certificate authority, node certificates and a cluster secret (PEM, with openssl)\n"
                + "for cluster.tls and cluster.secret_file. Keys are written readable by the owner only.")
                .string("dir", "certs", "directory to write to (created if missing)")
                .string("nodes", "", "node names, comma-separated; NAME=IP adds an IP to that node's certificate")
                .string("ip", "127.0.0.1", "IP addresses in every node's certificate, comma-separated")
                .integer("days", 825, "validity of the certificates, days");
    }

    public static int run(Flags flags, PrintStream out) {
        var nodes = new LinkedHashMap<String, List<String>>();
        for (String entry : Keys.commaList("-nodes", flags.string("nodes"), "node names")) {
            String[] parts = entry.split("=", 2);
            var ips = new ArrayList<String>();
            if (parts.length == 2) {
                ips.add(ip(parts[1]));
            }
            nodes.put(parts[0], ips);
        }
        if (nodes.isEmpty()) {
            throw new UsageException("-nodes: name at least one node");
        }
        var common = Keys.commaList("-ip", flags.string("ip"), "IP addresses").stream().map(Certs::ip).toList();
        nodes.values().forEach(ips -> ips.addAll(common));
        try {
            create(Path.of(flags.string("dir")), nodes, flags.integer("days", 1, 36_500));
        } catch (IOException e) {
            throw new UsageException(e.getMessage());
        }
        out.println("wrote " + Path.of(flags.string("dir")).toAbsolutePath() + ": ca.pem, " + SECRET + ", and for each of "
                + nodes.keySet() + " NAME.pem and NAME-key.pem; give node NAME cluster.tls {cert: NAME.pem, key: NAME-key.pem, "
                + "ca: ca.pem} and cluster.secret_file " + SECRET + "; keep ca-key.pem away from the nodes");
        return 0;
    }

    private static String ip(String text) {
        var addr = IpLiteral.parse(text.trim());
        if (addr == null) {
            throw new UsageException("not an IP address: " + text);
        }
        return addr.getHostAddress();
    }

    /**
     * Writes the CA (unless there), the secret (unless there) and a certificate for each node, valid for
     * DNS name NAME, {@code localhost} and its IPs, for both server and client authentication.
     */
    public static void create(Path dir, Map<String, List<String>> nodes, int days) throws IOException {
        for (String name : nodes.keySet()) {
            if (!NAME.matcher(name).matches() || name.equals("ca") || name.equals("cluster")) {
                throw new IOException("node name \"" + name + "\": letters, digits, '.', '_' and '-' (not ca or cluster)");
            }
        }
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca-key.pem");
        if (!Files.exists(ca) || !Files.exists(caKey)) {
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", caKey.toString(), "-out", ca.toString(), "-days", Integer.toString(days), "-subj", "/CN=llama cluster CA",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            ownerOnly(caKey);
        }
        Path secret = dir.resolve(SECRET);
        if (!Files.exists(secret)) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            Files.writeString(secret, HexFormat.of().formatHex(bytes) + "\n", StandardCharsets.US_ASCII);
            ownerOnly(secret);
        }
        for (var node : nodes.entrySet()) {
            String name = node.getKey();
            Path key = dir.resolve(name + "-key.pem");
            Path csr = dir.resolve(name + ".csr");
            Path ext = dir.resolve(name + ".ext");
            var san = new LinkedHashSet<String>();
            san.add("DNS:" + name);
            san.add("DNS:localhost");
            node.getValue().forEach(ip -> san.add("IP:" + ip));
            Files.writeString(ext, "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\n"
                    + "extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=" + String.join(",", san) + "\n");
            try {
                openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                        "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
                ownerOnly(key);
                byte[] serial = new byte[16];
                RANDOM.nextBytes(serial);
                serial[0] &= 0x7f;
                openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                        "-set_serial", "0x" + HexFormat.of().formatHex(serial), "-days", Integer.toString(days),
                        "-extfile", ext.toString(), "-out", dir.resolve(name + ".pem").toString());
            } finally {
                Files.deleteIfExists(csr);
                Files.deleteIfExists(ext);
            }
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to narrow
        }
    }

    private static void openssl(Path dir, String... args) throws IOException {
        var command = new ArrayList<String>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run openssl (is it installed?): " + e.getMessage(), e);
        }
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("openssl " + args[0] + " failed: " + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while openssl ran", e);
        }
    }
}
