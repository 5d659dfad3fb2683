package dev.llama.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InetTextTest {

    @ParameterizedTest
    @CsvSource({
        // RFC 5952 section 4 examples and rules
        "2001:0db8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
        "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:0DB8:AAAA:BBBB:CCCC:DDDD:EEEE:0001, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8::1, 2001:db8::1",
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "1:0:0:0:0:0:0:0, 1::",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "1:0:1:0:1:0:1:0, 1:0:1:0:1:0:1:0",
        "0:1:0:0:1:0:0:0, 0:1:0:0:1::",
        "2001:db8:0:0:0:1:0:0, 2001:db8::1:0:0",
    })
    void formatsIpv6AsRfc5952(String input, String expected) throws Exception {
        assertThat(InetText.format(InetAddress.getByName(input))).isEqualTo(expected);
    }

    @Test
    void formatsIpv4MappedWithDottedTail() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, (byte) 128};
        assertThat(InetText.format(Inet6Address.getByAddress(null, mapped, null))).isEqualTo("::ffff:192.0.2.128");
        // Java turns a mapped literal into an Inet4Address: plain dotted decimal then.
        assertThat(InetText.format(InetAddress.getByName("::ffff:192.0.2.128"))).isEqualTo("192.0.2.128");
    }

    @Test
    void keepsTheZone() throws Exception {
        byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
        assertThat(InetText.format(Inet6Address.getByAddress(null, linkLocal, 3))).isEqualTo("fe80::1%3");
    }

    @Test
    void formatsSocketAddresses() throws Exception {
        assertThat(InetText.format(new InetSocketAddress(InetAddress.getByName("::"), 8100))).isEqualTo("[::]:8100");
        assertThat(InetText.format(new InetSocketAddress(InetAddress.getByName("::1"), 1))).isEqualTo("[::1]:1");
        assertThat(InetText.format(new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 8100))).isEqualTo("10.0.0.1:8100");
        assertThat(InetText.format(InetSocketAddress.createUnresolved("example.invalid", 80))).isEqualTo("example.invalid:80");
    }
}
