package dev.llama.deploy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * What the deploy tests build once and keep between runs, outside the checkout (a clean checkout must not
 * lose it, {@code mvn clean} neither): Debian root file systems made by mmdebstrap (~90 s each) and the
 * reflector's jlinked JRE, in {@code $LLAMA_IMAGE_CACHE} (default {@code /var/tmp/llama-image-cache}). A
 * missing entry is rebuilt; a lock keeps two test JVMs from building the same one.
 */
final class ImageCache {
    /** Debian with a JRE 17: the base of the full image, and the throwaway root the .deb is installed into. */
    static final String JRE_ROOT = "base-bookworm-jre17";
    /** Debian's essential packages and the C++ runtime libjvm needs, without Java or documentation (like debian:bookworm-slim): the reflector image's base. */
    static final String SLIM_ROOT = "slim-bookworm-libstdcxx";
    /** The modules of the reflector's JRE: the same list as the Dockerfile's jre-jlink stage. */
    static final String REFLECTOR_MODULES = "java.base,java.xml,java.naming,java.management,jdk.management,jdk.unsupported,jdk.crypto.ec";

    private ImageCache() {
    }

    static Path dir() throws IOException {
        String env = System.getenv("LLAMA_IMAGE_CACHE");
        return Files.createDirectories(Path.of(env != null && !env.isBlank() ? env : "/var/tmp/llama-image-cache"));
    }

    /** The tarball of root file system {@code name}, made by mmdebstrap when missing. */
    static Path rootfs(String name) throws Exception {
        Path tar = dir().resolve(name + ".tar");
        return locked(() -> {
            if (!Files.exists(tar)) {
                Path partial = dir().resolve(name + ".partial.tar");
                Files.deleteIfExists(partial);
                String[] args = name.equals(JRE_ROOT)
                        ? new String[] {"mmdebstrap", "--variant=apt", "--include=openjdk-17-jre-headless,passwd", "bookworm", partial.toString()}
                        : new String[] {"mmdebstrap", "--variant=essential", "--include=passwd,libstdc++6", "--dpkgopt=path-exclude=/usr/share/man/*",
                                "--dpkgopt=path-exclude=/usr/share/locale/*", "--dpkgopt=path-exclude=/usr/share/doc/*",
                                "--dpkgopt=path-exclude=/usr/share/info/*", "bookworm", partial.toString()};
                Host.ok(Duration.ofMinutes(10), args);
                Files.move(partial, tar, StandardCopyOption.ATOMIC_MOVE);
            }
            return tar;
        });
    }

    /** The local image {@code localhost/llama-test-base:NAME} of root file system {@code name}, imported when missing. */
    static String baseImage(String name) throws Exception {
        String image = "localhost/llama-test-base:" + name;
        Path tar = rootfs(name);
        return locked(() -> {
            if (Host.run(Duration.ofSeconds(30), "podman", "image", "exists", image).code() != 0) {
                Host.ok(Duration.ofMinutes(3), "podman", "import", "-q", tar.toString(), image);
            }
            return image;
        });
    }

    /**
     * Copies the reflector's JRE into {@code target}, running jlink (about a minute here) only when the cache
     * has none for this JDK: the Dockerfile's JRE=context takes it from {@code target/reflector-jre}.
     */
    static void reflectorJre(Path target) throws Exception {
        String key = Runtime.version().toString().replaceAll("[^A-Za-z0-9.]", "_") + "-" + Integer.toHexString(REFLECTOR_MODULES.hashCode());
        Path cached = dir().resolve("reflector-jre-" + key);
        locked(() -> {
            if (!Files.isDirectory(cached)) {
                Path partial = dir().resolve("reflector-jre.partial");
                delete(partial);
                Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
                Host.ok(Duration.ofMinutes(5), jlink.toString(), "--add-modules", REFLECTOR_MODULES, "--strip-debug",
                        "--no-man-pages", "--no-header-files", "--compress=2", "--output", partial.toString());
                Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE);
            }
            return null;
        });
        delete(target);
        Host.ok(Duration.ofMinutes(1), "cp", "-a", cached.toString(), target.toString());
    }

    private static <T> T locked(Callable<T> action) throws Exception {
        try (var lock = FileChannel.open(dir().resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var held = lock.lock()) {
            return action.call();
        }
    }

    static void delete(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
