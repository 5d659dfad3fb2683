package dev.llama.probe;

import java.util.Arrays;
import java.util.Random;

/** Random damage to datagrams, for the codec's differential test and the fuzz tests. */
public final class Mutations {
    private Mutations() {
    }

    public static byte[] mutate(Random random, byte[] valid) {
        byte[] d = valid.clone();
        int kind = random.nextInt(7);
        switch (kind) {
            case 0 -> d[random.nextInt(d.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> d[random.nextInt(d.length)] = (byte) random.nextInt(256);
            case 2 -> d = Arrays.copyOf(d, random.nextInt(d.length + 1));
            case 3 -> {
                byte[] extra = new byte[1 + random.nextInt(8)];
                random.nextBytes(extra);
                byte[] out = Arrays.copyOf(d, d.length + extra.length);
                System.arraycopy(extra, 0, out, d.length, extra.length);
                d = out;
            }
            case 4 -> {
                int at = random.nextInt(d.length);
                byte[] out = new byte[d.length + 1];
                System.arraycopy(d, 0, out, 0, at);
                out[at] = (byte) random.nextInt(256);
                System.arraycopy(d, at, out, at + 1, d.length - at);
                d = out;
            }
            case 5 -> {
                for (int i = 0; i < 4; i++) {
                    d[random.nextInt(d.length)] = (byte) random.nextInt(256);
                }
            }
            default -> {
                // unchanged: keeps valid probes in the mix
            }
        }
        return d;
    }

    /** Random bytes of a random length up to {@code max}, empty included. */
    public static byte[] noise(Random random, int max) {
        byte[] d = new byte[random.nextInt(max + 1)];
        random.nextBytes(d);
        return d;
    }
}
