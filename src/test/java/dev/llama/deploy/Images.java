package dev.llama.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the project's Dockerfile with buildah (chroot isolation: the default OCI runtime cannot set rlimits
 * in this sandbox) from the jars built by {@code mvn package} ({@code JARS=context}, {@code JRE=context}) on
 * the cached Debian bases, runs commands in the images with the host's network, and removes every image
 * and container it made.
 */
final class Images implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("user.dir"));
    private final List<String> images = new ArrayList<>();
    private final List<String> containers = new ArrayList<>();
    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    /** Skips the calling test where the tools or the privileges to build images are missing (bin/test installs them). */
    static void assumeTools(String... tools) {
        assumeTrue(Host.root(), "building images and roots needs root");
        for (String tool : tools) {
            assumeTrue(Host.has(tool), tool + " is not installed (bin/test installs it)");
        }
    }

    /** Builds {@code target} of the Dockerfile; returns the image's name. */
    String build(String target) throws Exception {
        String image = "localhost/llama-test-" + target + ":" + tag;
        Set<String> danglingBefore = dangling();
        var result = Host.run(Duration.ofMinutes(8), "buildah", "bud", "--isolation", "chroot", "--format", "docker",
                "--layers=false", "--build-arg", "BASE=" + ImageCache.baseImage(ImageCache.JRE_ROOT),
                "--build-arg", "SLIM_BASE=" + ImageCache.baseImage(ImageCache.SLIM_ROOT),
                "--build-arg", "JARS=context", "--build-arg", "JRE=context",
                "--target", target, "-t", image, ROOT.toString());
        images.add(image);
        // the stages before the target stay as untagged images: remove the ones this build made
        for (String id : dangling()) {
            if (!danglingBefore.contains(id)) {
                Host.run(Duration.ofMinutes(1), "buildah", "rmi", "-f", id); // -f: with the working container of the stage
            }
        }
        if (result.code() != 0) {
            throw new AssertionError("buildah bud --target " + target + " failed:\n" + result.output());
        }
        return image;
    }

    /** A new working container of {@code image}. */
    String container(String image) {
        String name = "llama-test-" + UUID.randomUUID().toString().substring(0, 8);
        Host.ok(Duration.ofMinutes(1), "buildah", "from", "-q", "--name", name, image);
        containers.add(name);
        return name;
    }

    /** Starts {@code command} in {@code container} (host network) in the background. */
    static Process start(String container, Path log, String... command) throws IOException {
        var argv = new ArrayList<>(List.of("buildah", "run", "--isolation", "chroot", container, "--"));
        argv.addAll(List.of(command));
        return Host.start(log, argv.toArray(String[]::new));
    }

    /** Runs {@code command} in {@code container} to its end. */
    static Host.Result run(String container, String... command) {
        var argv = new ArrayList<>(List.of("buildah", "run", "--isolation", "chroot", container, "--"));
        argv.addAll(List.of(command));
        return Host.run(Duration.ofMinutes(2), argv.toArray(String[]::new));
    }

    /** The image's size in bytes (podman shares buildah's storage). */
    static long size(String image) {
        return Long.parseLong(Host.ok(Duration.ofMinutes(1), "podman", "image", "inspect", "--format", "{{.Size}}", image).strip());
    }

    private static Set<String> dangling() {
        var out = Host.run(Duration.ofMinutes(1), "buildah", "images", "-q", "--noheading", "--filter", "dangling=true");
        return out.code() == 0 ? new HashSet<>(out.output().lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) : Set.of();
    }

    @Override
    public void close() {
        containers.forEach(c -> Host.run(Duration.ofMinutes(1), "buildah", "rm", c));
        images.forEach(i -> Host.run(Duration.ofMinutes(1), "buildah", "rmi", "-f", i));
    }
}
