/*
 * echo-mmsg - the C yardstick for llama's reflector: a UDP echo that reads and writes in batches
 * (recvmmsg / sendmmsg) and answers only datagrams that decode as a llama.Probe.
 *
 * A datagram is answered, byte for byte, to the address it came from when it is a well-formed
 * protobuf message whose known fields (1 signature, 2 tos, 3 sent, 4 rcvd, 5 rtt, 6 lost,
 * 7 padding) have their declared wire types. When the probe's tos byte differs from the one the
 * socket sends with, the replies already queued are written first and IP_TOS is changed, so each
 * reply leaves with its own probe's TOS. Truncated datagrams (longer than BUF_BYTES) are dropped.
 *
 *   echo-mmsg [-p PORT] [-R RCVBUF_BYTES] [-b BATCH] [-k THREADS]
 *
 * -k runs THREADS loops, each on its own SO_REUSEPORT socket. SIGINT or SIGTERM prints the
 * counters on stderr and exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { MAX_BATCH = 512, BUF_BYTES = 9216, MAX_THREADS = 32 };

struct loop {
    pthread_t thread;
    int fd;
    int batch;
    /* written by the loop, read by main at exit */
    uint64_t received, answered, refused, send_errors;
};

/* Reads one varint at *at; 0 when it runs past end or past 10 bytes. */
static int read_varint(const uint8_t **at, const uint8_t *end, uint64_t *out) {
    uint64_t value = 0;
    for (unsigned shift = 0; shift < 70 && *at < end; shift += 7) {
        uint8_t byte = *(*at)++;
        value |= (uint64_t)(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) {
            *out = value;
            return 1;
        }
    }
    return 0;
}

/*
 * 1 when data[0..len) is a llama.Probe. *tos is set to the tos byte, or -1 when the field is
 * absent or empty (the socket's TOS is then left as it is).
 */
static int is_probe(const uint8_t *data, size_t len, int *tos) {
    const uint8_t *at = data, *end = data + len;
    *tos = -1;
    while (at < end) {
        uint64_t key, value;
        if (!read_varint(&at, end, &key)) return 0;
        uint64_t field = key >> 3;
        unsigned type = key & 7;
        if (field == 0) return 0;
        if (type == 0) {
            if (field == 1 || field == 2 || field == 7) return 0;
            if (!read_varint(&at, end, &value)) return 0;
        } else if (type == 2) {
            if (field >= 3 && field <= 6) return 0;
            if (!read_varint(&at, end, &value) || value > (uint64_t)(end - at)) return 0;
            if (field == 2 && value > 0) *tos = at[0];
            at += value;
        } else if (type == 1 || type == 5) {
            size_t width = type == 1 ? 8 : 4;
            if (field <= 7 || (size_t)(end - at) < width) return 0;
            at += width;
        } else {
            return 0; /* groups and reserved wire types */
        }
    }
    return 1;
}

/* Writes out[0..count), going on past a datagram the kernel refuses. */
static void send_all(struct loop *lp, struct mmsghdr *out, int count) {
    int done = 0;
    while (done < count) {
        int sent = sendmmsg(lp->fd, out + done, count - done, 0);
        if (sent > 0) {
            __atomic_add_fetch(&lp->answered, sent, __ATOMIC_RELAXED);
            done += sent;
        } else if (errno != EINTR) {
            __atomic_add_fetch(&lp->send_errors, 1, __ATOMIC_RELAXED);
            done++;
        }
    }
}

static void *run_loop(void *arg) {
    struct loop *lp = arg;
    int batch = lp->batch, socket_tos = 0;
    struct mmsghdr *in = calloc(batch, sizeof *in), *out = calloc(batch, sizeof *out);
    struct iovec *in_iov = calloc(batch, sizeof *in_iov), *out_iov = calloc(batch, sizeof *out_iov);
    struct sockaddr_storage *from = calloc(batch, sizeof *from);
    uint8_t *buffers = malloc((size_t)batch * BUF_BYTES);
    if (!in || !out || !in_iov || !out_iov || !from || !buffers) {
        perror("echo-mmsg: malloc");
        exit(1);
    }
    for (int i = 0; i < batch; i++) in_iov[i] = (struct iovec){buffers + (size_t)i * BUF_BYTES, BUF_BYTES};
    for (;;) {
        for (int i = 0; i < batch; i++)
            in[i].msg_hdr = (struct msghdr){.msg_name = &from[i], .msg_namelen = sizeof from[i],
                                            .msg_iov = &in_iov[i], .msg_iovlen = 1};
        int got = recvmmsg(lp->fd, in, batch, MSG_WAITFORONE, NULL);
        if (got < 0) {
            if (errno == EINTR) continue;
            perror("echo-mmsg: recvmmsg");
            exit(1);
        }
        __atomic_add_fetch(&lp->received, got, __ATOMIC_RELAXED);
        int queued = 0;
        for (int i = 0; i < got; i++) {
            int tos;
            if ((in[i].msg_hdr.msg_flags & MSG_TRUNC) || !is_probe(in_iov[i].iov_base, in[i].msg_len, &tos)) {
                __atomic_add_fetch(&lp->refused, 1, __ATOMIC_RELAXED);
                continue;
            }
            if (tos >= 0 && tos != socket_tos) {
                send_all(lp, out, queued);
                queued = 0;
                setsockopt(lp->fd, IPPROTO_IP, IP_TOS, &tos, sizeof tos);
                socket_tos = tos;
            }
            out_iov[queued] = (struct iovec){in_iov[i].iov_base, in[i].msg_len};
            out[queued].msg_hdr = (struct msghdr){.msg_name = &from[i], .msg_namelen = in[i].msg_hdr.msg_namelen,
                                                  .msg_iov = &out_iov[queued], .msg_iovlen = 1};
            queued++;
        }
        send_all(lp, out, queued);
    }
    return NULL;
}

static int open_socket(int port, int rcvbuf, int shared) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0), on = 1;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (fd < 0) return -1;
    if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (shared) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv) {
    static struct loop loops[MAX_THREADS];
    int port = 8100, rcvbuf = 540672, batch = 64, threads = 1, opt, sig;
    while ((opt = getopt(argc, argv, "p:R:b:k:")) != -1) {
        switch (opt) {
        case 'p': port = atoi(optarg); break;
        case 'R': rcvbuf = atoi(optarg); break;
        case 'b': batch = atoi(optarg); break;
        case 'k': threads = atoi(optarg); break;
        default:
            fprintf(stderr, "usage: echo-mmsg [-p PORT=8100] [-R RCVBUF=540672] [-b BATCH=64] [-k THREADS=1]\n");
            return 2;
        }
    }
    if (port < 1 || port > 65535 || batch < 1 || batch > MAX_BATCH || threads < 1 || threads > MAX_THREADS) {
        fprintf(stderr, "echo-mmsg: port 1-65535, batch 1-%d, threads 1-%d\n", MAX_BATCH, MAX_THREADS);
        return 2;
    }
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL); /* the loops inherit the mask; main takes the signal */
    for (int i = 0; i < threads; i++) {
        loops[i].fd = open_socket(port, rcvbuf, threads > 1);
        loops[i].batch = batch;
        if (loops[i].fd < 0) {
            perror("echo-mmsg: bind");
            return 1;
        }
        if (pthread_create(&loops[i].thread, NULL, run_loop, &loops[i]) != 0) {
            perror("echo-mmsg: pthread_create");
            return 1;
        }
    }
    fprintf(stderr, "echo-mmsg: port %d, receive buffer %d, batch %d, %d thread(s)\n", port, rcvbuf, batch, threads);
    sigwait(&stop, &sig);
    uint64_t received = 0, answered = 0, refused = 0, send_errors = 0;
    for (int i = 0; i < threads; i++) {
        received += __atomic_load_n(&loops[i].received, __ATOMIC_RELAXED);
        answered += __atomic_load_n(&loops[i].answered, __ATOMIC_RELAXED);
        refused += __atomic_load_n(&loops[i].refused, __ATOMIC_RELAXED);
        send_errors += __atomic_load_n(&loops[i].send_errors, __ATOMIC_RELAXED);
    }
    fprintf(stderr, "echo-mmsg: received %llu answered %llu refused %llu send-errors %llu\n",
            (unsigned long long)received, (unsigned long long)answered, (unsigned long long)refused,
            (unsigned long long)send_errors);
    return 0;
}
