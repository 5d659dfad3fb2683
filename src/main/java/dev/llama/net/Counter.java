package dev.llama.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter written by one thread (an event loop) and read by any.
 *
 * <p>A release store is enough for a single writer and costs no more than a plain store on x86.
 */
public final class Counter {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private long value;

    /** Adds one; only the owning thread may call it. */
    public void inc() {
        VALUE.setRelease(this, (long) VALUE.get(this) + 1);
    }

    /** Adds {@code n}; only the owning thread may call it. */
    public void add(long n) {
        VALUE.setRelease(this, (long) VALUE.get(this) + n);
    }

    public long get() {
        return (long) VALUE.getAcquire(this);
    }
}
