package dev.llama.collector;

import io.netty.channel.Channel;

/**
 * What {@link ProbeEngine} paces and sweeps: a socket of LLAMA probes ({@link ProbeSocket}) or of STAMP
 * test packets ({@link StampSocket}).
 */
interface ProbeSender {
    /** Writes one probe to target {@code t}; it leaves with the next {@link #flush()}. */
    void enqueue(int t);

    void flush();

    /** Declares probes past their timeout lost. */
    void sweep(long now);

    Channel channel();

    static ProbeSender of(ProbeSocket socket) {
        return new ProbeSender() {
            @Override
            public void enqueue(int t) {
                socket.enqueue(t);
            }

            @Override
            public void flush() {
                socket.flush();
            }

            @Override
            public void sweep(long now) {
                socket.sweep(now);
            }

            @Override
            public Channel channel() {
                return socket.channel;
            }
        };
    }

    static ProbeSender of(StampSocket socket) {
        return new ProbeSender() {
            @Override
            public void enqueue(int t) {
                socket.enqueue(t);
            }

            @Override
            public void flush() {
                socket.flush();
            }

            @Override
            public void sweep(long now) {
                socket.sweep(now);
            }

            @Override
            public Channel channel() {
                return socket.channel;
            }
        };
    }
}
