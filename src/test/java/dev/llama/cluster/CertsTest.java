package dev.llama.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llama.cli.Launcher;
import dev.llama.config.ClusterSecret;
import dev.llama.config.Flags;
import dev.llama.config.UsageException;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code llama certs} makes a CA, node certificates that openssl and Vert.x accept, and a secret. */
@ExtendWith(VertxExtension.class)
class CertsTest {
    private static String openssl(Path dir, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void makesACaNodeCertificatesAndASecret(@TempDir Path dir, Vertx vertx) throws Exception {
        var out = new ByteArrayOutputStream();
        var print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(new Launcher(print, print).run(new String[] {"certs", "-dir", dir.toString(), "-nodes", "a,b=127.0.0.2",
            "-ip", "127.0.0.1,::1"})).as("llama certs").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("ca.pem");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("ca.pem", "ca-key.pem", "a.pem",
                    "a-key.pem", "b.pem", "b-key.pem", Certs.SECRET);
        }
        assertThat(openssl(dir, "verify", "-CAfile", "ca.pem", "a.pem", "b.pem")).contains("a.pem: OK", "b.pem: OK");
        String b = openssl(dir, "x509", "-in", "b.pem", "-noout", "-text");
        assertThat(b).contains("DNS:b", "IP Address:127.0.0.2", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1",
                "TLS Web Server Authentication, TLS Web Client Authentication", "CN = b");
        assertThat(openssl(dir, "x509", "-in", "a.pem", "-noout", "-text")).doesNotContain("127.0.0.2");
        for (String secret : List.of("ca-key.pem", "a-key.pem", Certs.SECRET)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(secret)))).as(secret).isEqualTo("rw-------");
        }
        var secret = ClusterSecret.read(dir.resolve(Certs.SECRET));
        String ca = Files.readString(dir.resolve("ca.pem"));

        // Run again with another node: same CA, same secret.
        Certs.run(Certs.flags().parse(List.of("-dir", dir.toString(), "-nodes", "c")), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(ca);
        assertThat(ClusterSecret.read(dir.resolve(Certs.SECRET)).sign("x")).isEqualTo(secret.sign("x"));
        assertThat(openssl(dir, "verify", "-CAfile", "ca.pem", "c.pem")).contains("c.pem: OK");

        // Vert.x loads them: a client with a certificate gets through client authentication, one without does not.
        var server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                        .setKeyCertOptions(pem(dir, "a")).setTrustOptions(new PemTrustOptions().addCertPath(dir.resolve("ca.pem").toString()))
                        .setClientAuth(ClientAuth.REQUIRED))
                .connectHandler(socket -> socket.handler(socket::write))
                .listen().await(10, TimeUnit.SECONDS);
        var trusting = new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
                .setTrustOptions(new PemTrustOptions().addCertPath(dir.resolve("ca.pem").toString()));
        var withCert = vertx.createNetClient(new NetClientOptions(trusting).setKeyCertOptions(pem(dir, "b")));
        var socket = withCert.connect(server.actualPort(), "127.0.0.1").await(10, TimeUnit.SECONDS);
        var echo = new java.util.concurrent.CompletableFuture<String>();
        socket.handler(buf -> echo.complete(buf.toString()));
        socket.write("hello");
        assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
        var without = vertx.createNetClient(trusting);
        var failed = new java.util.concurrent.CompletableFuture<Boolean>();
        without.connect(server.actualPort(), "127.0.0.1").onComplete(ar -> {
            if (ar.failed()) {
                failed.complete(true);
            } else {
                ar.result().closeHandler(v -> failed.complete(true));
                ar.result().handler(buf -> failed.complete(false));
                ar.result().write("hello");
            }
        });
        assertThat(failed.get(10, TimeUnit.SECONDS)).as("a client without a certificate is refused").isTrue();
    }

    private static PemKeyCertOptions pem(Path dir, String name) {
        return new PemKeyCertOptions().setCertPath(dir.resolve(name + ".pem").toString()).setKeyPath(dir.resolve(name + "-key.pem").toString());
    }

    @Test
    void refusesBadNamesAndAddresses(@TempDir Path dir) {
        Flags flags = Certs.flags().parse(List.of("-dir", dir.toString(), "-nodes", "../evil"));
        assertThatThrownBy(() -> Certs.run(flags, System.err)).isInstanceOf(UsageException.class).hasMessageContaining("../evil");
        assertThatThrownBy(() -> Certs.run(Certs.flags().parse(List.of("-dir", dir.toString(), "-nodes", "a", "-ip", "host")), System.err))
                .isInstanceOf(UsageException.class).hasMessageContaining("host");
        assertThatThrownBy(() -> Certs.run(Certs.flags().parse(List.of("-dir", dir.toString())), System.err))
                .isInstanceOf(UsageException.class);
    }
}
