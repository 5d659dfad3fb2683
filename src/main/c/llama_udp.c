/*
 * llama's native datagram path (JNI): one UDP socket, batched recvmmsg/sendmmsg into a direct buffer
 * that Java owns, with each datagram's source, received TOS/TCLASS and kernel receive timestamp
 * (SO_TIMESTAMPNS, CLOCK_REALTIME) written to a metadata slot, so Java reads a batch without
 * creating an object per datagram. Layout of a region at `base` in the buffer (see NativeUdp.java):
 * `slots` metadata records of META bytes, then `slots` data slots of `slot` bytes each.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define META 64
#define M_LEN 0
#define M_FAMILY 4
#define M_ADDR 8
#define M_PORT 24
#define M_TOS 28
#define M_RX 32
#define M_TX 40
#define M_SEND 48
#define M_TRUNC 52
#define MAX_BATCH 256
#define CTRL 128

static inline int64_t realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void to_sockaddr(const uint8_t *m, int sock_family, struct sockaddr_storage *ss, socklen_t *len) {
    int family = *(const int32_t *)(m + M_FAMILY);
    uint16_t port = (uint16_t)*(const int32_t *)(m + M_PORT);
    memset(ss, 0, sizeof(*ss));
    if (sock_family == AF_INET6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(port);
        if (family == 4) {
            s6->sin6_addr.s6_addr[10] = 0xff;
            s6->sin6_addr.s6_addr[11] = 0xff;
            memcpy(&s6->sin6_addr.s6_addr[12], m + M_ADDR, 4);
        } else {
            memcpy(&s6->sin6_addr, m + M_ADDR, 16);
        }
        *len = sizeof(*s6);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(port);
        memcpy(&s4->sin_addr, m + M_ADDR, 4);
        *len = sizeof(*s4);
    }
}

static void from_sockaddr(uint8_t *m, const struct sockaddr_storage *ss) {
    memset(m + M_ADDR, 0, 16);
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
        *(int32_t *)(m + M_PORT) = ntohs(s6->sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
            *(int32_t *)(m + M_FAMILY) = 4;
            memcpy(m + M_ADDR, &s6->sin6_addr.s6_addr[12], 4);
        } else {
            *(int32_t *)(m + M_FAMILY) = 6;
            memcpy(m + M_ADDR, &s6->sin6_addr, 16);
        }
    } else {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
        *(int32_t *)(m + M_FAMILY) = 4;
        *(int32_t *)(m + M_PORT) = ntohs(s4->sin_port);
        memcpy(m + M_ADDR, &s4->sin_addr, 4);
    }
}

enum { TIMEOUT_FDS = 4096 };
/* The SO_RCVTIMEO last set on each descriptor below TIMEOUT_FDS, in ms (0: none yet). Each descriptor is
 * read and closed by one thread only, so an entry never outlives its socket into a reused number. */
static int receive_timeout[TIMEOUT_FDS];

/* Whether recvmmsg itself may wait timeout_ms on fd: its SO_RCVTIMEO is set to that (once per change). */
static int wait_in_recv(int fd, int timeout_ms) {
    if (fd < 0 || fd >= TIMEOUT_FDS) {
        return 0;
    }
    if (receive_timeout[fd] != timeout_ms) {
        struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
        if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0) {
            return 0;
        }
        receive_timeout[fd] = timeout_ms;
    }
    return 1;
}

/* Opens and binds a socket; returns the descriptor or -errno. addr holds 4 or 16 bytes. */
JNIEXPORT jint JNICALL Java_dev_llama_net_NativeUdp_open(JNIEnv *env, jclass cls, jbyteArray addr, jint port,
                                                        jint buffer) {
    (void)cls;
    jsize n = (*env)->GetArrayLength(env, addr);
    jbyte bytes[16];
    if (n != 4 && n != 16) {
        return -EINVAL;
    }
    (*env)->GetByteArrayRegion(env, addr, 0, n, bytes);
    int family = n == 4 ? AF_INET : AF_INET6;
    int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof(buffer));
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof(buffer));
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
    /* On an IPv6 socket, IP_RECVTOS still reports the TOS of IPv4-mapped senders. */
    setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &one, sizeof(one));
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    socklen_t len;
    if (family == AF_INET6) {
        setsockopt(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, &one, sizeof(one));
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        memcpy(&s6->sin6_addr, bytes, 16);
        len = sizeof(*s6);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        memcpy(&s4->sin_addr, bytes, 4);
        len = sizeof(*s4);
    }
    if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

JNIEXPORT jint JNICALL Java_dev_llama_net_NativeUdp_localPort(JNIEnv *env, jclass cls, jint fd) {
    (void)env;
    (void)cls;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
        return -errno;
    }
    return ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                    : ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

JNIEXPORT jint JNICALL Java_dev_llama_net_NativeUdp_close(JNIEnv *env, jclass cls, jint fd) {
    (void)env;
    (void)cls;
    if (fd >= 0 && fd < TIMEOUT_FDS) {
        receive_timeout[fd] = 0;
    }
    return close(fd) == 0 ? 0 : -errno;
}

JNIEXPORT jlong JNICALL Java_dev_llama_net_NativeUdp_realtimeNanos(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return realtime_ns();
}

/*
 * Reads up to `slots` datagrams into the region; waits at most timeout_ms for the first (0: not at all).
 * Returns how many were read, 0 when none came, or -errno.
 */
JNIEXPORT jint JNICALL Java_dev_llama_net_NativeUdp_recv(JNIEnv *env, jclass cls, jint fd, jobject buffer, jint base,
                                                        jint slots, jint slot, jint timeout_ms) {
    (void)cls;
    uint8_t *region = (uint8_t *)(*env)->GetDirectBufferAddress(env, buffer) + base;
    if (slots > MAX_BATCH) {
        slots = MAX_BATCH;
    }
    struct mmsghdr msgs[MAX_BATCH];
    struct iovec iov[MAX_BATCH];
    struct sockaddr_storage from[MAX_BATCH];
    char ctrl[MAX_BATCH][CTRL] __attribute__((aligned(8)));
    uint8_t *data = region + (size_t)slots * META;
    for (int i = 0; i < slots; i++) {
        iov[i].iov_base = data + (size_t)i * slot;
        iov[i].iov_len = slot;
        memset(&msgs[i].msg_hdr, 0, sizeof(msgs[i].msg_hdr));
        msgs[i].msg_hdr.msg_name = &from[i];
        msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_control = ctrl[i];
        msgs[i].msg_hdr.msg_controllen = CTRL;
    }
    int n;
    /* SO_RCVTIMEO counts in scheduler ticks (up to 10 ms): only idle waits use it; a short wait (a
     * rate-limited reflector waiting for its next token) keeps poll's finer timer. */
    if (timeout_ms >= 20 && wait_in_recv(fd, timeout_ms)) {
        /* One system call while idle, as a blocking echo has: sleep in the kernel until the first
         * datagram (or the timeout), then take whatever else is queued. */
        n = recvmmsg(fd, msgs, slots, MSG_WAITFORONE, NULL);
        timeout_ms = 0;
    } else {
        n = recvmmsg(fd, msgs, slots, MSG_DONTWAIT, NULL);
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && timeout_ms > 0) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int ready = poll(&p, 1, timeout_ms);
        if (ready <= 0) {
            return ready == 0 || errno == EINTR ? 0 : -errno;
        }
        n = recvmmsg(fd, msgs, slots, MSG_DONTWAIT, NULL);
    }
    if (n < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -errno;
    }
    for (int i = 0; i < n; i++) {
        uint8_t *m = region + (size_t)i * META;
        *(int32_t *)(m + M_LEN) = (int32_t)msgs[i].msg_len;
        *(int32_t *)(m + M_TRUNC) = (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
        from_sockaddr(m, &from[i]);
        int32_t tos = -1;
        int64_t rx = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c != NULL; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
                struct timespec ts;
                memcpy(&ts, CMSG_DATA(c), sizeof(ts));
                rx = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
            } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS) {
                tos = *(uint8_t *)CMSG_DATA(c);
            } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_TCLASS) {
                int v;
                memcpy(&v, CMSG_DATA(c), sizeof(v));
                tos = v & 0xff;
            }
        }
        *(int32_t *)(m + M_TOS) = tos;
        *(int64_t *)(m + M_RX) = rx;
    }
    return n;
}

/*
 * Sends, from the first `count` slots of the region, those whose send flag is set, each to the address
 * in its metadata and with its TOS (a control message, none when -1). The CLOCK_REALTIME time taken
 * right before sendmmsg goes to every sent slot's TX field (0 in one that could not go). Returns how
 * many were handed to sendmmsg.
 */
JNIEXPORT jint JNICALL Java_dev_llama_net_NativeUdp_send(JNIEnv *env, jclass cls, jint fd, jobject buffer, jint base,
                                                        jint slots, jint slot, jint count, jboolean v6) {
    (void)cls;
    uint8_t *region = (uint8_t *)(*env)->GetDirectBufferAddress(env, buffer) + base;
    if (count > slots) {
        count = slots;
    }
    if (count > MAX_BATCH) {
        count = MAX_BATCH;
    }
    int family = v6 ? AF_INET6 : AF_INET;
    struct mmsghdr msgs[MAX_BATCH];
    struct iovec iov[MAX_BATCH];
    struct sockaddr_storage to[MAX_BATCH];
    char ctrl[MAX_BATCH][CMSG_SPACE(sizeof(int))] __attribute__((aligned(8)));
    int index[MAX_BATCH];
    uint8_t *data = region + (size_t)slots * META;
    int k = 0;
    for (int i = 0; i < count; i++) {
        uint8_t *m = region + (size_t)i * META;
        *(int64_t *)(m + M_TX) = 0;
        if (*(int32_t *)(m + M_SEND) == 0) {
            continue;
        }
        int32_t len = *(int32_t *)(m + M_LEN);
        if (len < 0 || len > slot || (family == AF_INET && *(int32_t *)(m + M_FAMILY) != 4)) {
            continue;
        }
        socklen_t alen;
        to_sockaddr(m, family, &to[k], &alen);
        iov[k].iov_base = data + (size_t)i * slot;
        iov[k].iov_len = (size_t)len;
        memset(&msgs[k].msg_hdr, 0, sizeof(msgs[k].msg_hdr));
        msgs[k].msg_hdr.msg_name = &to[k];
        msgs[k].msg_hdr.msg_namelen = alen;
        msgs[k].msg_hdr.msg_iov = &iov[k];
        msgs[k].msg_hdr.msg_iovlen = 1;
        int32_t tos = *(int32_t *)(m + M_TOS);
        if (tos >= 0) {
            struct msghdr *h = &msgs[k].msg_hdr;
            h->msg_control = ctrl[k];
            h->msg_controllen = CMSG_SPACE(sizeof(int));
            struct cmsghdr *c = CMSG_FIRSTHDR(h);
            int v6 = family == AF_INET6 && *(int32_t *)(m + M_FAMILY) == 6;
            c->cmsg_level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
            c->cmsg_type = v6 ? IPV6_TCLASS : IP_TOS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            int v = tos & 0xff;
            memcpy(CMSG_DATA(c), &v, sizeof(v));
        }
        index[k++] = i;
    }
    int sent = 0;
    while (sent < k) {
        int64_t now = realtime_ns();
        int r = sendmmsg(fd, msgs + sent, k - sent, 0);
        if (r < 0) {
            if (errno != EINTR) {
                sent++; /* this datagram cannot go (no route, refused): skip it, send the rest */
            }
            continue;
        }
        for (int j = sent; j < sent + r; j++) {
            *(int64_t *)(region + (size_t)index[j] * META + M_TX) = now;
        }
        sent += r;
    }
    return sent;
}
