package dev.llama.cli;

import dev.llama.config.AllowList;
import dev.llama.config.Flags;
import dev.llama.config.IpLiteral;
import dev.llama.config.StampKeyFile;
import dev.llama.config.UsageException;
import dev.llama.probe.ProbeKeys;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.StampOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * The {@code reflector} command's flags and the options they make, shared by {@link Launcher} and the
 * reflector-only jar's {@link ReflectorMain}. It reaches only reflector, probe and config classes, so the
 * small jar, which carries nothing else, can load it.
 */
public final class ReflectorCommand {
    private ReflectorCommand() {
    }

    /** The reflector's flags: the original's {@code -port} and {@code -max-pps} and llama's own. */
    public static Flags flags() {
        return new Flags("reflector", "Sends every valid llama probe straight back to its sender.")
                .integer("port", ReflectorOptions.DEFAULT_PORT, "UDP port to listen on")
                .decimal("max-pps", ReflectorOptions.DEFAULT_MAX_PPS, "replies per second at most; 0 for no limit")
                .string("bind", "0.0.0.0", "local IP address to listen on")
                .string("allow", "", "comma-separated CIDRs whose probes are answered; empty for every source")
                .string("deny-ports", "", "comma-separated source ports never answered (reflector ports); default: -port and 8100")
                .string("auth-keys", "", "probe key file (\"ID SECRET\" per line): answer only probes signed by one of its keys, sent within 30 s of this clock")
                .integer("stamp-port", 0, "also answer STAMP (RFC 8762) test packets on this UDP port (862 is STAMP's); 0 for none")
                .string("stamp-key-file", "", "STAMP authenticated mode: file with the HMAC key in hex; without it, unauthenticated mode");
    }

    /** The options parsed {@code flags} ask for; a {@link UsageException} names the flag at fault. */
    public static ReflectorOptions options(Flags flags) {
        InetAddress bind = IpLiteral.parse(flags.string("bind"));
        if (bind == null) {
            throw new UsageException("invalid value \"" + flags.string("bind") + "\" for flag -bind: not an IP address");
        }
        int port = flags.integer("port", 1, 65535);
        double maxPps = flags.decimal("max-pps", 0, ReflectorOptions.MAX_MAX_PPS);
        try {
            var options = new ReflectorOptions(bind, port, maxPps, AllowList.parse(flags.string("allow")),
                    flags.given("deny-ports") ? ReflectorOptions.parseDenyPorts(flags.string("deny-ports")) : null);
            if (!flags.string("auth-keys").isEmpty()) {
                options = options.withAuthKeys(ProbeKeys.read(Path.of(flags.string("auth-keys"))));
            }
            return options;
        } catch (IOException e) {
            throw new UsageException("invalid value for flag -auth-keys: cannot read " + flags.string("auth-keys") + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid reflector flags: " + e.getMessage());
        }
    }

    /** The STAMP port's options {@code flags} ask for, or null without {@code -stamp-port}. */
    public static StampOptions stampOptions(Flags flags) {
        int port = flags.integer("stamp-port", 0, 65535);
        String keyFile = flags.string("stamp-key-file");
        if (port == 0) {
            if (!keyFile.isEmpty()) {
                throw new UsageException("flag -stamp-key-file needs -stamp-port");
            }
            return null;
        }
        try {
            byte[] key = keyFile.isEmpty() ? null : StampKeyFile.read(Path.of(keyFile));
            return new StampOptions(port, key, StampOptions.DEFAULT_ERROR_ESTIMATE);
        } catch (java.io.IOException e) {
            throw new UsageException("invalid value for flag -stamp-key-file: cannot read " + keyFile + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid value for flag -stamp-key-file: " + e.getMessage());
        }
    }
}
