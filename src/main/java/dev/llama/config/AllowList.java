package dev.llama.config;

import dev.llama.net.InetText;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The source networks a reflector answers ({@code -allow 10.0.0.0/8,2001:db8::/32}); empty means every
 * source. IPv4-mapped IPv6 senders match IPv4 networks.
 *
 * <p>{@link #allows} is called for every datagram: IPv4 is matched on the address's int without
 * allocating; IPv6 answers are remembered in a small direct-mapped cache so a steady sender costs no
 * allocation either.
 */
public final class AllowList {
    /** Every source is allowed. */
    public static final AllowList ANY = new AllowList(List.of(), List.of());

    private record Net6(long hi, long lo, long maskHi, long maskLo) {
    }

    private record Cached(InetAddress address, boolean allowed) {
    }

    private static final int CACHE = 256;

    private final int[] net4;
    private final int[] mask4;
    private final Net6[] net6;
    private final List<String> text;
    private final Cached[] cache = new Cached[CACHE];

    private AllowList(List<int[]> v4, List<Net6> v6, List<String> text) {
        this.net4 = v4.stream().mapToInt(n -> n[0]).toArray();
        this.mask4 = v4.stream().mapToInt(n -> n[1]).toArray();
        this.net6 = v6.toArray(new Net6[0]);
        this.text = List.copyOf(text);
    }

    private AllowList(List<int[]> v4, List<Net6> v6) {
        this(v4, v6, List.of());
    }

    /**
     * Parses comma-separated CIDRs or bare addresses (a bare address is a /32 or /128); host bits are
     * ignored, as Go's {@code net.ParseCIDR} does. Blank text means {@link #ANY}.
     *
     * @throws IllegalArgumentException naming the entry that is not a CIDR
     */
    public static AllowList parse(String csv) {
        return csv == null || csv.isBlank() ? ANY : of(List.of(csv.split(",", -1)));
    }

    /** Like {@link #parse} for a list of entries; an empty list means {@link #ANY}. */
    public static AllowList of(List<String> entries) {
        if (entries.isEmpty()) {
            return ANY;
        }
        var v4 = new ArrayList<int[]>();
        var v6 = new ArrayList<Net6>();
        var text = new ArrayList<String>();
        for (String raw : entries) {
            String entry = raw.trim();
            int slash = entry.indexOf('/');
            InetAddress ip = IpLiteral.parse(slash < 0 ? entry : entry.substring(0, slash));
            if (ip == null || (ip instanceof Inet6Address v6ip && v6ip.getScopeId() != 0)) {
                throw new IllegalArgumentException("not a CIDR: \"" + entry + "\"");
            }
            int max = ip instanceof Inet4Address ? 32 : 128;
            int bits = slash < 0 ? max : prefix(entry, entry.substring(slash + 1));
            if (ip instanceof Inet4Address && entry.indexOf(':') >= 0 && slash >= 0) {
                // ::ffff:a.b.c.d/n, which Java hands back as IPv4
                if (bits < 96) {
                    throw new IllegalArgumentException("not a CIDR: \"" + entry + "\" (IPv4-mapped prefix shorter than 96)");
                }
                bits -= 96;
            }
            if (bits > max) {
                throw new IllegalArgumentException("not a CIDR: \"" + entry + "\" (prefix longer than " + max + ")");
            }
            byte[] b = ip.getAddress();
            if (max == 32) {
                int mask = bits == 0 ? 0 : -1 << (32 - bits);
                v4.add(new int[] {toInt(b, 0) & mask, mask});
            } else {
                long maskHi = bits == 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
                long maskLo = bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
                v6.add(new Net6(toLong(b, 0) & maskHi, toLong(b, 8) & maskLo, maskHi, maskLo));
            }
            text.add(InetText.format(ip) + "/" + bits);
        }
        return new AllowList(v4, v6, text);
    }

    private static int prefix(String entry, String digits) {
        if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a CIDR: \"" + entry + "\"");
        }
        return Integer.parseInt(digits);
    }

    /** Whether every source is allowed. */
    public boolean any() {
        return text.isEmpty();
    }

    /** Whether datagrams from {@code source} may be answered. */
    public boolean allows(InetAddress source) {
        if (any()) {
            return true;
        }
        if (source instanceof Inet4Address) {
            // Inet4Address.hashCode() is the address itself: no copy of the bytes.
            return allows4(source.hashCode());
        }
        int slot = (source.hashCode() & 0x7fffffff) % CACHE;
        Cached hit = cache[slot];
        if (hit != null && hit.address().equals(source)) {
            return hit.allowed();
        }
        boolean allowed = allows6(source.getAddress());
        cache[slot] = new Cached(source, allowed);
        return allowed;
    }

    private boolean allows4(int ip) {
        for (int i = 0; i < net4.length; i++) {
            if ((ip & mask4[i]) == net4[i]) {
                return true;
            }
        }
        return false;
    }

    private boolean allows6(byte[] b) {
        long hi = toLong(b, 0);
        long lo = toLong(b, 8);
        if (hi == 0 && lo >>> 32 == 0xffffL) {
            return allows4((int) lo);
        }
        for (Net6 n : net6) {
            if ((hi & n.maskHi()) == n.hi() && (lo & n.maskLo()) == n.lo()) {
                return true;
            }
        }
        return false;
    }

    private static int toInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static long toLong(byte[] b, int at) {
        return (long) toInt(b, at) << 32 | (toInt(b, at + 4) & 0xffffffffL);
    }

    @Override
    public String toString() {
        return any() ? "any" : String.join(",", text);
    }
}
