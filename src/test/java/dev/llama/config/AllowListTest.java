package dev.llama.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.ReflectorVerticle;
import dev.llama.testutil.Await;
import dev.llama.testutil.Probes;
import dev.llama.testutil.UdpPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
class AllowListTest {

    private static boolean allows(AllowList list, String ip) throws Exception {
        return list.allows(InetAddress.getByName(ip));
    }

    @Test
    void matchesIpv4Networks() throws Exception {
        var list = AllowList.parse("10.0.0.0/8, 192.0.2.1 ,198.51.100.77/24,0.0.0.0/32");
        assertThat(allows(list, "10.255.1.2")).isTrue();
        assertThat(allows(list, "11.0.0.0")).isFalse();
        assertThat(allows(list, "192.0.2.1")).isTrue();
        assertThat(allows(list, "192.0.2.2")).isFalse();
        assertThat(allows(list, "198.51.100.1")).as("host bits ignored, as Go's ParseCIDR").isTrue();
        assertThat(allows(list, "198.51.101.1")).isFalse();
        assertThat(allows(list, "::1")).isFalse();
        assertThat(list.toString()).isEqualTo("10.0.0.0/8,192.0.2.1/32,198.51.100.77/24,0.0.0.0/32");
        assertThat(allows(AllowList.parse("0.0.0.0/0"), "203.0.113.9")).isTrue();
    }

    @Test
    void matchesIpv6NetworksAndMappedIpv4() throws Exception {
        var list = AllowList.parse("2001:db8::/32,::1,fe80::/10,127.0.0.0/8");
        assertThat(allows(list, "2001:db8:ffff::1")).isTrue();
        assertThat(allows(list, "2001:db9::1")).isFalse();
        assertThat(allows(list, "::1")).isTrue();
        assertThat(allows(list, "::2")).isFalse();
        assertThat(allows(list, "febf::1")).isTrue();
        assertThat(allows(list, "fec0::1")).isFalse();
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 9};
        var v6Mapped = Inet6Address.getByAddress(null, mapped, null);
        for (int i = 0; i < 2; i++) { // the second answer comes from the cache
            assertThat(list.allows(v6Mapped)).isTrue();
            assertThat(allows(list, "2001:db9::1")).isFalse();
        }
        assertThat(list.toString()).isEqualTo("2001:db8::/32,::1/128,fe80::/10,127.0.0.0/8");
        assertThat(allows(AllowList.parse("2001:db8::1/128"), "2001:db8::1")).isTrue();
        assertThat(allows(AllowList.parse("::/0"), "2001:db8::1")).isTrue();
    }

    @Test
    void emptyMeansEverySource() throws Exception {
        assertThat(AllowList.parse("").any()).isTrue();
        assertThat(AllowList.parse(" ")).isSameAs(AllowList.ANY);
        assertThat(allows(AllowList.ANY, "203.0.113.9")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "example.com/8", "10.0.0.0,,10.0.0.1",
        "10.0.0.256/8", "1.2.3.4/8/8", "fe80::1%1/64"})
    void refusesWhatIsNotACidr(String text) {
        assertThatThrownBy(() -> AllowList.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a CIDR");
    }

    @Test
    void reflectorAnswersOnlyTheAllowedSources(Vertx vertx) throws Exception {
        var options = new ReflectorOptions(InetAddress.getByName("::"), 0, 0, AllowList.parse("127.0.0.2/32,::1/128"), null);
        var reflector = new ReflectorVerticle(options);
        vertx.deployVerticle(reflector).await(10, TimeUnit.SECONDS);
        int port = reflector.port();
        try (var outside = new UdpPeer("127.0.0.1"); var inside = new UdpPeer("127.0.0.2"); var v6 = new UdpPeer("::1")) {
            outside.send(Probes.original(0), new InetSocketAddress("127.0.0.1", port));
            Await.until(Duration.ofSeconds(5), () -> reflector.stats().droppedNotAllowed() == 1, () -> reflector.stats().toJson().encode());
            byte[] probe = Probes.original(0);
            inside.send(probe, new InetSocketAddress("127.0.0.1", port));
            assertThat(inside.receive(2000).data()).isEqualTo(probe);
            v6.send(probe, new InetSocketAddress("::1", port));
            assertThat(v6.receive(2000).data()).isEqualTo(probe);
            assertThat(outside.receive(200)).as("the outsider got nothing").isNull();
            var stats = reflector.stats();
            assertThat(stats.received()).isEqualTo(3);
            assertThat(stats.reflected()).isEqualTo(2);
            assertThat(stats.droppedNotAllowed()).isEqualTo(1);
        }
    }
}
