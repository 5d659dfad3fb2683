package dev.llama.cluster;

import com.hazelcast.config.Config;
import dev.llama.config.ClusterSecret;
import dev.llama.config.ConfigException;
import dev.llama.config.Keys;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What protects a cluster beyond its name, which is all open-source Hazelcast checks: TLS with client
 * certificates on the event bus ({@code cluster.tls: {cert, key, ca}}, PEM files) and a shared secret
 * ({@code cluster.secret_file}) that signs registry entries and summary sets. Each is optional; without
 * TLS the node says once at start that its event bus is unauthenticated.
 *
 * @param cert this node's certificate (PEM), null without TLS
 * @param key its private key (PEM, PKCS#8 or PKCS#1)
 * @param ca the certificate authority every node's certificate must be signed by
 * @param secret the cluster secret, null without one
 */
public record ClusterSecurity(Path cert, Path key, Path ca, ClusterSecret secret) {
    /** Neither TLS nor a secret. */
    public static final ClusterSecurity NONE = new ClusterSecurity(null, null, null, null);
    private static final Logger log = LoggerFactory.getLogger(ClusterSecurity.class);

    public boolean tls() {
        return cert != null;
    }

    /** Reads {@code cluster.tls} and {@code cluster.secret_file} from the {@code cluster} section. */
    static ClusterSecurity parse(Keys cluster) {
        Path cert = null;
        Path key = null;
        Path ca = null;
        if (cluster.has("tls")) {
            var tls = new Keys(cluster.object("tls"), "cluster.tls.", Set.of("cert", "key", "ca"));
            cert = pem(tls, "cert");
            key = pem(tls, "key");
            ca = pem(tls, "ca");
        }
        ClusterSecret secret = null;
        String secretFile = cluster.string("secret_file", "");
        if (!secretFile.isEmpty()) {
            try {
                secret = ClusterSecret.read(Path.of(secretFile));
            } catch (IOException e) {
                throw new ConfigException(cluster.key("secret_file"), "cannot read " + secretFile + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(cluster.key("secret_file"), secretFile + ": " + e.getMessage());
            }
        }
        return new ClusterSecurity(cert, key, ca, secret);
    }

    private static Path pem(Keys tls, String name) {
        String file = tls.string(name, "");
        if (file.isEmpty()) {
            throw new ConfigException(tls.key(name), "missing: cluster.tls needs cert, key and ca (PEM files; llama certs makes them)");
        }
        try {
            if (!Files.readString(Path.of(file), StandardCharsets.US_ASCII).contains("-----BEGIN ")) {
                throw new ConfigException(tls.key(name), file + " is not a PEM file");
            }
        } catch (IOException e) {
            throw new ConfigException(tls.key(name), "cannot read " + file + ": " + e.getMessage());
        }
        return Path.of(file);
    }

    /**
     * Puts TLS with required client certificates on {@code options} when configured; the bus then talks
     * only to processes holding a certificate from {@link #ca}. Host names are not checked (Vert.x does
     * not for the bus): the CA signature is the identity, and every node's certificate is equally trusted.
     */
    public EventBusOptions apply(EventBusOptions options) {
        if (!tls()) {
            log.warn("event bus without TLS: any process that joins the Hazelcast cluster can send and receive on it "
                    + "(set cluster.tls; llama certs makes the files)");
            return options;
        }
        log.info("event bus with TLS and client certificates ({}, CA {})", cert, ca);
        options.setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
                .setClientAuth(ClientAuth.REQUIRED);
        return options;
    }

    /** Makes Hazelcast listen on its configured interface only, whatever the XML says. */
    public static void harden(Config hazelcast) {
        hazelcast.setProperty("hazelcast.socket.bind.any", "false");
    }
}
