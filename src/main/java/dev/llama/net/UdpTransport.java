package dev.llama.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Netty UDP sockets for the hot path: the native epoll transport where it loads, NIO otherwise.
 *
 * <p>Probes do not go through Vert.x's {@code DatagramSocket}: it cannot batch, has no back-pressure and
 * hides the channel, and the timing tables want one dedicated thread with nothing else queued on it.
 */
public final class UdpTransport {
    /**
     * Receive buffer per datagram. A datagram that fills it may have been cut short by the kernel, so
     * the handlers treat a read of exactly this many bytes as oversized and drop it.
     */
    public static final int MAX_DATAGRAM = 9217;
    /** Datagrams read per recvmmsg call with the native transport. */
    public static final int READ_BATCH = 32;
    private static final int SOCKET_BUFFER = 4 << 20;

    private UdpTransport() {
    }

    /** Whether the native epoll transport is in use. */
    public static boolean nativeTransport() {
        return Epoll.isAvailable();
    }

    /** A group of {@code threads} event loops, named after the role that owns them. */
    public static EventLoopGroup newGroup(int threads, String name) {
        var factory = new DefaultThreadFactory(name, true);
        return new MultiThreadIoEventLoopGroup(threads, factory,
                nativeTransport() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** Binds a UDP socket on {@code group} with large kernel buffers and {@code handler} as its pipeline. */
    public static ChannelFuture bind(EventLoopGroup group, InetSocketAddress local, ChannelHandler handler) {
        var bootstrap = new Bootstrap()
                .group(group)
                .channel(nativeTransport() ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .handler(handler);
        if (nativeTransport()) {
            // recvmmsg: one buffer of READ_BATCH slots per read, each datagram a slice of MAX_DATAGRAM bytes.
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * READ_BATCH));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        return bootstrap.bind(local);
    }

    /** Adapts a Netty future to a Vert.x one whose callbacks run on {@code context}. */
    public static <T> Future<T> toFuture(io.netty.util.concurrent.Future<T> nettyFuture, Context context) {
        var cf = new CompletableFuture<T>();
        nettyFuture.addListener(f -> {
            if (f.isSuccess()) {
                cf.complete(nettyFuture.getNow());
            } else {
                cf.completeExceptionally(f.cause());
            }
        });
        return Future.fromCompletionStage(cf, context);
    }
}
