package dev.llama.collector;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * What {@link ProbeEngine} paces, reads and sweeps: a socket of LLAMA probes ({@link ProbeSocket}, on the
 * native path or Netty's) or of STAMP test packets ({@link StampSocket}, on Netty's).
 */
interface ProbeSender {
    /** Writes one probe to target {@code t}; it leaves with the next {@link #flush()}. */
    void enqueue(int t);

    void flush();

    /** Declares probes past their timeout lost. */
    void sweep(long now);

    InetSocketAddress localAddress();

    /** The Netty channel, or null on the native path. */
    Channel channel();

    /** Reads what has arrived, on the native path; Netty reads by itself. */
    default void poll() {
    }

    /** Closes a native socket; on the engine's loop, which owns it. */
    default void closeNative() {
    }
}
