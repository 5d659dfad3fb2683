package dev.llama.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The examples of RFC 5952 section 4 and its recommendations. */
class InetTextTest {
    private static String f(String literal) throws Exception {
        return InetText.format(InetAddress.getByName(literal));
    }

    @Test
    void writesTheCanonicalForm() throws Exception {
        assertThat(f("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(f("0:0:0:0:0:0:0:0")).isEqualTo("::");
        assertThat(f("2001:0db8:0000:0000:0000:0000:0000:0001")).isEqualTo("2001:db8::1");
        assertThat(f("2001:db8:0:0:0:0:2:1")).isEqualTo("2001:db8::2:1");
        assertThat(f("2001:db8:0:1:1:1:1:1")).as("one zero group is not compressed").isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(f("2001:0:0:1:0:0:0:1")).as("the longest run").isEqualTo("2001:0:0:1::1");
        assertThat(f("2001:db8:0:0:1:0:0:1")).as("the first of equal runs").isEqualTo("2001:db8::1:0:0:1");
        assertThat(f("2001:DB8::AB")).as("lower case").isEqualTo("2001:db8::ab");
        assertThat(f("1:0:0:0:0:0:0:0")).isEqualTo("1::");
        assertThat(f("fe80::1")).isEqualTo("fe80::1");
        assertThat(f("192.0.2.7")).isEqualTo("192.0.2.7");
    }

    @Test
    void bracketsIpv6WithAPort() throws Exception {
        assertThat(InetText.format(new InetSocketAddress(InetAddress.getByName("::"), 8100))).isEqualTo("[::]:8100");
        assertThat(InetText.format(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8100))).isEqualTo("127.0.0.1:8100");
    }
}
