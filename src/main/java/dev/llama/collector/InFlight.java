package dev.llama.collector;

/**
 * The probes a collector socket has in flight: a ring indexed by the low bits of a per-socket sequence
 * number, with each probe's target, send time and state. Since one socket has one timeout and sends in
 * sequence order, probes expire in sequence order too, and {@link #sweep} walks only from the oldest
 * unresolved probe. No object per probe; used by one thread, the socket's.
 */
final class InFlight {
    static final byte EMPTY = 0;
    static final byte PENDING = 1;
    static final byte ANSWERED = 2;
    static final byte LOST = 3;

    /** Told of each probe that went unanswered: past its timeout, or pushed out of a full ring. */
    interface Expiry {
        void expired(int target, boolean evicted);
    }

    private final long[] seqs;
    private final long[] sentAt;
    private final int[] targetOf;
    private final byte[] state;
    private final int mask;
    private final long timeoutNanos;
    private final Expiry expiry;
    private long head = 1;
    private long next = 1;

    /** Room for four times the probes of one timeout (plus a second) at {@code probesPerSecond}, a power of two. */
    InFlight(double probesPerSecond, int timeoutMs, Expiry expiry) {
        int capacity = Integer.highestOneBit((int) Math.min(1 << 22,
                Math.max(1024, probesPerSecond * (timeoutMs / 1000.0 + 1) * 4)) - 1) << 1;
        this.seqs = new long[capacity];
        this.sentAt = new long[capacity];
        this.targetOf = new int[capacity];
        this.state = new byte[capacity];
        this.mask = capacity - 1;
        this.timeoutNanos = timeoutMs * 1_000_000L;
        this.expiry = expiry;
    }

    int capacity() {
        return mask + 1;
    }

    /** The slot of sequence number {@code seq}, for the socket's own per-probe arrays of {@link #capacity()}. */
    int slot(long seq) {
        return (int) (seq & mask);
    }

    /** Records a probe to {@code target} sent at {@code now}; returns its sequence number (1, 2, …). */
    long add(int target, long now) {
        if (next - head > mask) {
            evictOldest();
        }
        long seq = next++;
        int slot = slot(seq);
        seqs[slot] = seq;
        sentAt[slot] = now;
        targetOf[slot] = target;
        state[slot] = PENDING;
        return seq;
    }

    /** The newest sequence number handed out, 0 before the first. */
    long newest() {
        return next - 1;
    }

    /** Whether {@code seq} is a probe this ring handed out and still holds. */
    boolean holds(long seq) {
        int slot = slot(seq);
        return seq > 0 && seq < next && seqs[slot] == seq && state[slot] != EMPTY;
    }

    int target(long seq) {
        return targetOf[slot(seq)];
    }

    long sentAt(long seq) {
        return sentAt[slot(seq)];
    }

    byte state(long seq) {
        return state[slot(seq)];
    }

    void resolve(long seq, byte newState) {
        state[slot(seq)] = newState;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    private void evictOldest() {
        int slot = slot(head);
        if (state[slot] == PENDING) {
            state[slot] = LOST;
            expiry.expired(targetOf[slot], true);
        }
        head++;
    }

    /** Marks every probe older than the timeout as lost. */
    void sweep(long now) {
        while (head < next) {
            int slot = slot(head);
            if (state[slot] == PENDING) {
                if (now - sentAt[slot] < timeoutNanos) {
                    return;
                }
                state[slot] = LOST;
                expiry.expired(targetOf[slot], false);
            }
            head++;
        }
    }
}
