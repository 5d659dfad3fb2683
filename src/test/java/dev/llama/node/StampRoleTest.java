package dev.llama.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llama.cluster.NodeConfig;
import dev.llama.config.AllowList;
import dev.llama.reflector.ReflectorOptions;
import dev.llama.reflector.StampOptions;
import dev.llama.stamp.Ntp;
import dev.llama.stamp.StampReply;
import dev.llama.stamp.StampSend;
import dev.llama.testutil.FreePorts;
import dev.llama.testutil.UdpPeer;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code reflector.stamp_port} from a node config, deployed through {@link Roles} as a node does. */
@ExtendWith(VertxExtension.class)
class StampRoleTest {

    @Test
    void theNodesStampPortAnswers(Vertx vertx) throws Exception {
        int port = FreePorts.udp("127.0.0.1"); // a port to name in the config; the role binds it
        var config = NodeConfig.parse(new JsonObject().put("reflector", new JsonObject().put("stamp_port", port)), null);
        var roles = new Roles(vertx);
        var reflector = roles.stampReflector(new ReflectorOptions(InetAddress.getLoopbackAddress(), 0, 0, AllowList.ANY, null),
                new StampOptions(config.reflector().stamp().port(), null, StampOptions.DEFAULT_ERROR_ESTIMATE));
        roles.deployed().await(10, TimeUnit.SECONDS);
        assertThat(reflector.port()).isEqualTo(port);
        try (var peer = new UdpPeer()) {
            var buf = Unpooled.buffer();
            long t1 = Ntp.now();
            StampSend.writeRequest(buf, false, 7, t1, 0, 0x1234, -1, null);
            peer.send(Arrays.copyOf(buf.array(), buf.readableBytes()), new InetSocketAddress("127.0.0.1", port));
            var received = peer.receive(5000);
            assertThat(received).as("a STAMP reply").isNotNull();
            var reply = new StampReply();
            assertThat(StampSend.parseReply(Unpooled.wrappedBuffer(received.data()), false, null, reply)).isTrue();
            assertThat(reply.senderTimestamp()).isEqualTo(t1);
        }
    }
}
