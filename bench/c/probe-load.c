/*
 * probe-load - sends llama probes to a reflector on loopback and times the replies: the C yardstick
 * for llama's collector and the load generator for its reflector.
 *
 * N connected UDP sockets (N source ports) send 1,028-byte probes by default (the original's 1,000
 * bytes of padding), open loop at -r probes per second or closed loop with at most -w in flight,
 * for -d seconds after -W seconds of warm-up. A reply is matched by the sequence number in its
 * signature and must come back byte for byte; one after the timeout (-T) is late and the probe lost.
 *
 * RTT: the send time is read just before the sendmmsg that carries the probe. The receive time is
 * the kernel's receive timestamp (SO_TIMESTAMPNS, so CLOCK_REALTIME on both ends) when the kernel
 * gives one, else the clock read right after recvmmsg returns; -u uses CLOCK_MONOTONIC read after
 * recvmmsg for every reply instead (what a user-space prober such as the collector sees).
 *
 * Prints a summary and one line "RESULT key=value ..." for scripts. Targets 127.0.0.0/8 only.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { MAX_SOCKETS = 64, MAX_BATCH = 256, MAX_CPUS = 64, HEADER = 25, CONTROL = 64 };
#define RING (1u << 20) /* in-flight slots, indexed by sequence number modulo RING */

enum slot_state { EMPTY, WAITING, ANSWERED, EXPIRED };

/* settings */
static double rate_pps, duration_s = 5, warmup_s = 0.5;
static int window = 64, sockets = 4, batch = 32, probe_tos, spin, user_clock;
static uint64_t timeout_ns = 1000000000ull;

/* the probe */
static uint8_t probe[65536];
static size_t probe_len;
static clockid_t clock_id;
static uint64_t to_epoch; /* add to a clock_id reading to get ns since the epoch */

/* sockets and batches */
static int fds[MAX_SOCKETS];
static struct pollfd polls[MAX_SOCKETS];
static uint8_t *send_buf, *recv_buf, recv_control[MAX_BATCH][CONTROL];
static struct mmsghdr send_msgs[MAX_BATCH], recv_msgs[MAX_BATCH];
static struct iovec send_iov[MAX_BATCH], recv_iov[MAX_BATCH];

/* probes in flight */
static uint64_t *slot_seq, *slot_sent;
static uint8_t *slot_state;
static uint64_t next_seq, oldest_seq, in_flight, first_counted = UINT64_MAX;

/* results; late, duplicate and corrupt replies count only for measured probes */
static uint64_t replied, late, duplicates, foreign, corrupt, send_errors, recv_errors, kernel_stamps;
static uint64_t *rtts, rtt_count, rtt_capacity;

static uint64_t clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static size_t write_varint(uint8_t *at, uint64_t value) {
    size_t n = 0;
    while (value >= 0x80) {
        at[n++] = (uint8_t)(value | 0x80);
        value >>= 7;
    }
    at[n++] = (uint8_t)value;
    return n;
}

/*
 * The probe's fixed layout, so that the sequence number and the send time are written in place:
 *   0  0a 0a <sequence, 8 bytes little-endian> <run id, 2 bytes>   signature (field 1)
 *  12  12 01 <tos>                                                tos (field 2)
 *  15  18 <send time, ns since the epoch, a 9-byte varint>        sent (field 3)
 *  25  3a <length> <zeros>                                        padding (field 7), when not 0
 */
static size_t make_probe(uint8_t *at, size_t padding, uint16_t run_id) {
    size_t n = 0;
    at[n++] = 0x0a;
    at[n++] = 10;
    memset(at + n, 0, 8);
    n += 8;
    memcpy(at + n, &run_id, 2);
    n += 2;
    at[n++] = 0x12;
    at[n++] = 1;
    at[n++] = (uint8_t)probe_tos;
    at[n++] = 0x18;
    n += write_varint(at + n, clock_ns(CLOCK_REALTIME));
    if (n != HEADER) {
        fprintf(stderr, "probe-load: the clock does not fit a 9-byte varint\n");
        exit(1);
    }
    if (padding > 0) {
        at[n++] = 0x3a;
        n += write_varint(at + n, padding);
        memset(at + n, 0, padding);
        n += padding;
    }
    return n;
}

static void keep_rtt(uint64_t ns) {
    if (rtt_count == rtt_capacity) {
        rtt_capacity = rtt_capacity ? rtt_capacity * 2 : 65536;
        rtts = realloc(rtts, rtt_capacity * sizeof *rtts);
        if (!rtts) {
            perror("probe-load: realloc");
            exit(1);
        }
    }
    rtts[rtt_count++] = ns;
}

/* Gives up on probes older than the timeout, oldest first; all of them when everything is set. */
static void expire(uint64_t now, int everything) {
    while (oldest_seq < next_seq) {
        uint32_t i = oldest_seq % RING;
        if (slot_state[i] == WAITING) {
            int ring_full = next_seq - oldest_seq >= RING - MAX_BATCH;
            if (!everything && !ring_full && now - slot_sent[i] < timeout_ns) return;
            slot_state[i] = EXPIRED;
            in_flight--;
        }
        oldest_seq++;
    }
}

static int send_some(int fd, int count) {
    for (int i = 0; i < count; i++) {
        uint64_t seq = next_seq + (uint64_t)i;
        memcpy(send_buf + (size_t)i * probe_len + 2, &seq, 8);
    }
    uint64_t now = clock_ns(clock_id);
    for (int i = 0; i < count; i++) write_varint(send_buf + (size_t)i * probe_len + 16, now + to_epoch);
    int sent = sendmmsg(fd, send_msgs, count, 0);
    if (sent <= 0) {
        send_errors++;
        return 0;
    }
    for (int i = 0; i < sent; i++) {
        uint32_t s = (next_seq + (uint64_t)i) % RING;
        slot_seq[s] = next_seq + (uint64_t)i;
        slot_sent[s] = now;
        slot_state[s] = WAITING;
    }
    next_seq += (uint64_t)sent;
    in_flight += (uint64_t)sent;
    return sent;
}

/* The kernel's receive time of message i in clock_id's terms, or 0 when it gave none. */
static uint64_t kernel_time(int i) {
    struct msghdr *h = &recv_msgs[i].msg_hdr;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;
            memcpy(&ts, CMSG_DATA(c), sizeof ts);
            return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
        }
    }
    return 0;
}

static void take_reply(const uint8_t *data, size_t len, int flags, uint64_t at) {
    if (len != probe_len || (flags & MSG_TRUNC) || memcmp(data, probe, 2) != 0 || memcmp(data + 10, probe + 10, 2) != 0) {
        foreign++;
        return;
    }
    uint64_t seq;
    memcpy(&seq, data + 2, 8);
    int counted = seq >= first_counted;
    uint32_t s = seq % RING;
    if (seq >= next_seq || slot_seq[s] != seq || slot_state[s] == EXPIRED) {
        late += counted;
        return;
    }
    if (slot_state[s] == ANSWERED) {
        duplicates += counted;
        return;
    }
    uint8_t sent_field[10];
    write_varint(sent_field, slot_sent[s] + to_epoch);
    if (memcmp(data + 12, probe + 12, 4) != 0 || memcmp(data + 16, sent_field, 9) != 0
        || memcmp(data + HEADER, probe + HEADER, probe_len - HEADER) != 0) {
        corrupt += counted;
        return;
    }
    slot_state[s] = ANSWERED;
    in_flight--;
    if (counted) {
        replied++;
        keep_rtt(at > slot_sent[s] ? at - slot_sent[s] : 0);
    }
}

static void receive(int fd) {
    for (int i = 0; i < batch; i++) recv_msgs[i].msg_hdr.msg_controllen = user_clock ? 0 : CONTROL;
    int got = recvmmsg(fd, recv_msgs, batch, MSG_DONTWAIT, NULL);
    uint64_t now = clock_ns(clock_id);
    if (got < 0) {
        if (errno != EAGAIN && errno != EINTR) recv_errors++; /* ECONNREFUSED: nobody listens */
        return;
    }
    for (int i = 0; i < got; i++) {
        uint64_t at = user_clock ? 0 : kernel_time(i);
        if (at) kernel_stamps++;
        take_reply(recv_buf + (size_t)i * (probe_len + 64), recv_msgs[i].msg_len, recv_msgs[i].msg_hdr.msg_flags,
                   at ? at : now);
    }
}

/* Waits up to wait_ns for replies and takes them; with -s only looks once at every socket. */
static void wait_and_receive(int64_t wait_ns) {
    if (!spin) {
        struct timespec ts = {0, 0};
        if (wait_ns > 0) ts = (struct timespec){wait_ns / 1000000000, wait_ns % 1000000000};
        if (ppoll(polls, (nfds_t)sockets, &ts, NULL) <= 0) return;
    }
    for (int i = 0; i < sockets; i++)
        if (spin || (polls[i].revents & POLLIN)) receive(fds[i]);
}

/* cpu time counters from /proc/stat: busy (not idle, iowait or steal) and total, per cpu */
struct cpu_times { unsigned long long busy, total; };

static int read_cpus(struct cpu_times *cpus) {
    char line[512];
    int count = 0;
    FILE *f = fopen("/proc/stat", "r");
    if (!f) return 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long long v[8] = {0}, total = 0;
        int id;
        if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9') continue;
        if (sscanf(line + 3, "%d %llu %llu %llu %llu %llu %llu %llu %llu", &id, &v[0], &v[1], &v[2], &v[3], &v[4],
                   &v[5], &v[6], &v[7]) < 5 || id < 0 || id >= MAX_CPUS)
            continue;
        for (int i = 0; i < 8; i++) total += v[i];
        cpus[id] = (struct cpu_times){total - v[3] - v[4] - v[7], total};
        if (id + 1 > count) count = id + 1;
    }
    fclose(f);
    return count;
}

static int by_value(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* nearest-rank percentile of the sorted RTTs, in microseconds; per10k = 5000 for p50 */
static double percentile_us(uint64_t per10k) {
    if (rtt_count == 0) return 0;
    uint64_t rank = (rtt_count * per10k + 9999) / 10000;
    return rtts[rank > 0 ? rank - 1 : 0] / 1e3;
}

static void usage(void) {
    fprintf(stderr,
            "usage: probe-load -t 127.x.y.z:PORT [-r PPS | -w N] [-d SEC] [-W SEC] [-n SOCKETS] [-p PAD | -l LEN]\n"
            "                  [-b BATCH] [-T MS] [-q TOS] [-s] [-u]\n"
            "  -r PPS   open loop at this rate          -w N     closed loop, N in flight (64; ignored with -r)\n"
            "  -d SEC   measured time (5)               -W SEC   warm-up, not counted (0.5)\n"
            "  -n N     source sockets (4)              -b N     sendmmsg/recvmmsg batch (32)\n"
            "  -p B     padding bytes (1000)            -l B     whole datagram size instead, e.g. 64\n"
            "  -T MS    reply timeout (1000)            -q TOS   tos byte of probes and sockets (0)\n"
            "  -s       spin on recvmmsg instead of sleeping in ppoll\n"
            "  -u       user-space receive time (CLOCK_MONOTONIC after recvmmsg), no kernel timestamps\n");
    exit(2);
}

/* The padding that makes a datagram of len bytes, or -1 when none does. */
static long padding_for(long len) {
    if (len == HEADER) return 0;
    for (int width = 1; width <= 3; width++) {
        long padding = len - HEADER - 1 - width;
        uint8_t scratch[10];
        if (padding > 0 && (long)write_varint(scratch, (uint64_t)padding) == width) return padding;
    }
    return -1;
}

int main(int argc, char **argv) {
    struct sockaddr_in target = {.sin_family = AF_INET};
    long padding = 1000, len = 0;
    int opt, have_target = 0;
    while ((opt = getopt(argc, argv, "t:r:w:d:W:n:p:l:b:T:q:su")) != -1) {
        switch (opt) {
        case 't': {
            char host[64];
            const char *colon = strrchr(optarg, ':');
            if (!colon || colon - optarg >= (long)sizeof host) usage();
            memcpy(host, optarg, (size_t)(colon - optarg));
            host[colon - optarg] = 0;
            if (inet_pton(AF_INET, host, &target.sin_addr) != 1) usage();
            target.sin_port = htons((uint16_t)atoi(colon + 1));
            have_target = 1;
            break;
        }
        case 'r': rate_pps = atof(optarg); break;
        case 'w': window = atoi(optarg); break;
        case 'd': duration_s = atof(optarg); break;
        case 'W': warmup_s = atof(optarg); break;
        case 'n': sockets = atoi(optarg); break;
        case 'p': padding = atol(optarg); break;
        case 'l': len = atol(optarg); break;
        case 'b': batch = atoi(optarg); break;
        case 'T': timeout_ns = (uint64_t)(atof(optarg) * 1e6); break;
        case 'q': probe_tos = atoi(optarg) & 0xff; break;
        case 's': spin = 1; break;
        case 'u': user_clock = 1; break;
        default: usage();
        }
    }
    if (!have_target || (ntohl(target.sin_addr.s_addr) >> 24) != 127 || target.sin_port == 0) {
        fprintf(stderr, "probe-load: the target must be 127.x.y.z:PORT (loopback only)\n");
        return 2;
    }
    if (sockets < 1 || sockets > MAX_SOCKETS || batch < 1 || batch > MAX_BATCH || window < 1 || duration_s <= 0
        || duration_s > 600 || warmup_s < 0 || warmup_s > 60 || rate_pps < 0 || timeout_ns < 1000000
        || timeout_ns > 10000000000ull)
        usage();
    if (len > 0 && (padding = padding_for(len)) < 0) {
        fprintf(stderr, "probe-load: no probe is %ld bytes long\n", len);
        return 2;
    }
    if (padding < 0 || padding > 60000) usage();
    alarm((unsigned)(warmup_s + duration_s + timeout_ns / 1e9 + 10)); /* never hangs a script */

    clock_id = user_clock ? CLOCK_MONOTONIC : CLOCK_REALTIME;
    to_epoch = user_clock ? clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC) : 0;
    srand((unsigned)(clock_ns(CLOCK_REALTIME) ^ (uint64_t)getpid()));
    probe_len = make_probe(probe, (size_t)padding, (uint16_t)rand());
    send_buf = malloc(MAX_BATCH * probe_len);
    recv_buf = malloc(MAX_BATCH * (probe_len + 64));
    slot_seq = calloc(RING, sizeof *slot_seq);
    slot_sent = calloc(RING, sizeof *slot_sent);
    slot_state = calloc(RING, 1);
    if (!send_buf || !recv_buf || !slot_seq || !slot_sent || !slot_state) {
        perror("probe-load: malloc");
        return 1;
    }
    for (int i = 0; i < MAX_BATCH; i++) {
        memcpy(send_buf + (size_t)i * probe_len, probe, probe_len);
        send_iov[i] = (struct iovec){send_buf + (size_t)i * probe_len, probe_len};
        send_msgs[i].msg_hdr = (struct msghdr){.msg_iov = &send_iov[i], .msg_iovlen = 1};
        recv_iov[i] = (struct iovec){recv_buf + (size_t)i * (probe_len + 64), probe_len + 64};
        recv_msgs[i].msg_hdr = (struct msghdr){.msg_iov = &recv_iov[i], .msg_iovlen = 1,
                                               .msg_control = recv_control[i], .msg_controllen = CONTROL};
    }
    for (int i = 0; i < sockets; i++) {
        int rcvbuf = 4 << 20, on = 1;
        fds[i] = socket(AF_INET, SOCK_DGRAM, 0);
        if (fds[i] < 0) {
            perror("probe-load: socket");
            return 1;
        }
        setsockopt(fds[i], SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        setsockopt(fds[i], IPPROTO_IP, IP_TOS, &probe_tos, sizeof probe_tos);
        if (!user_clock) setsockopt(fds[i], SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
        if (connect(fds[i], (struct sockaddr *)&target, sizeof target) != 0) {
            perror("probe-load: connect");
            return 1;
        }
        polls[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
    }
    prctl(PR_SET_TIMERSLACK, 1UL); /* ppoll wakes on time, as an event loop's timer does */

    struct cpu_times cpu_before[MAX_CPUS], cpu_after[MAX_CPUS];
    int cpus = 0, turn = 0;
    uint64_t start = clock_ns(clock_id), measure_from = start + (uint64_t)(warmup_s * 1e9);
    uint64_t end = measure_from + (uint64_t)(duration_s * 1e9), measured_seq = 0, worst_lag = 0;
    for (;;) {
        uint64_t now = clock_ns(clock_id);
        if (first_counted == UINT64_MAX && now >= measure_from) {
            first_counted = measured_seq = next_seq;
            measure_from = now;
            end = now + (uint64_t)(duration_s * 1e9);
            cpus = read_cpus(cpu_before);
        }
        if (now >= end) break;
        expire(now, 0);
        int64_t due;
        if (rate_pps > 0) {
            due = (int64_t)((double)(now - start) * rate_pps / 1e9) + 1 - (int64_t)next_seq;
            uint64_t due_at = start + (uint64_t)((double)next_seq * 1e9 / rate_pps);
            if (due > 0 && now > due_at && now - due_at > worst_lag) worst_lag = now - due_at;
        } else {
            due = (int64_t)window - (int64_t)in_flight;
        }
        if (due > (int64_t)batch * sockets) due = (int64_t)batch * sockets;
        while (due > 0) {
            int sent = send_some(fds[turn], due < batch ? (int)due : batch);
            turn = (turn + 1) % sockets;
            if (sent == 0) break;
            due -= sent;
        }
        now = clock_ns(clock_id);
        int64_t wait;
        if (rate_pps > 0)
            wait = (int64_t)(start + (uint64_t)((double)next_seq * 1e9 / rate_pps)) - (int64_t)now;
        else if (in_flight < (uint64_t)window)
            wait = 0;
        else
            wait = (int64_t)(slot_sent[oldest_seq % RING] + timeout_ns) - (int64_t)now;
        if (wait > (int64_t)(end - now)) wait = end > now ? (int64_t)(end - now) : 0;
        wait_and_receive(wait);
    }
    uint64_t stop = clock_ns(clock_id);
    read_cpus(cpu_after);
    uint64_t sent = next_seq - measured_seq;
    while (in_flight > 0) { /* the last replies get one timeout to arrive */
        uint64_t now = clock_ns(clock_id);
        if (now >= stop + timeout_ns) break;
        expire(now, 0);
        int64_t wait = (int64_t)(stop + timeout_ns - now);
        wait_and_receive(wait > 10000000 ? 10000000 : wait);
    }
    expire(0, 1);

    double secs = (double)(stop - measure_from) / 1e9;
    double loss_pct = sent ? 100.0 * (double)(sent - replied) / (double)sent : 0;
    qsort(rtts, rtt_count, sizeof *rtts, by_value);
    double p[6] = {percentile_us(0), percentile_us(5000), percentile_us(9000),
                   percentile_us(9900), percentile_us(9990), percentile_us(10000)};
    char mode[32];
    if (rate_pps > 0) snprintf(mode, sizeof mode, "r%.0f", rate_pps);
    else snprintf(mode, sizeof mode, "w%d", window);
    double busy[MAX_CPUS];
    for (int i = 0; i < cpus; i++) {
        double total = (double)(cpu_after[i].total - cpu_before[i].total);
        busy[i] = total > 0 ? 100.0 * (double)(cpu_after[i].busy - cpu_before[i].busy) / total : 0;
    }
    printf("probe-load %s:%d, %s, %d sockets, %zu-byte probes, %.2f s measured after %.1f s warm-up, timeout %.0f ms%s\n",
           inet_ntoa(target.sin_addr), ntohs(target.sin_port), mode, sockets, probe_len, secs, warmup_s,
           timeout_ns / 1e6, spin ? ", spinning" : "");
    printf("sent %llu, replied %llu, lost %llu (%.4f %%), late %llu, duplicate %llu, foreign %llu, corrupt %llu, "
           "send errors %llu, receive errors %llu\n",
           (unsigned long long)sent, (unsigned long long)replied, (unsigned long long)(sent - replied), loss_pct,
           (unsigned long long)late, (unsigned long long)duplicates, (unsigned long long)foreign,
           (unsigned long long)corrupt, (unsigned long long)send_errors, (unsigned long long)recv_errors);
    printf("replies %.0f per s, probes %.0f per s", (double)replied / secs, (double)sent / secs);
    if (rate_pps > 0) printf(", worst send lag %.1f us", worst_lag / 1e3);
    printf("\nrtt us (%s receive time, %llu kernel-stamped): min %.1f p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f, "
           "%llu replies\n",
           user_clock ? "user-space" : "kernel", (unsigned long long)kernel_stamps, p[0], p[1], p[2], p[3], p[4], p[5],
           (unsigned long long)rtt_count);
    printf("cpu busy %%:");
    for (int i = 0; i < cpus; i++) printf(" cpu%d %.1f", i, busy[i]);
    printf("\nRESULT mode=%s len=%zu sent=%llu replied=%llu loss_pct=%.4f pps=%.0f min=%.1f p50=%.1f p90=%.1f p99=%.1f "
           "p999=%.1f max=%.1f late=%llu dup=%llu bad=%llu corrupt=%llu lag_max=%.1f clock=%s",
           mode, probe_len, (unsigned long long)sent, (unsigned long long)replied, loss_pct, (double)replied / secs,
           p[0], p[1], p[2], p[3], p[4], p[5], (unsigned long long)late, (unsigned long long)duplicates,
           (unsigned long long)foreign, (unsigned long long)corrupt, worst_lag / 1e3, user_clock ? "user" : "kernel");
    for (int i = 0; i < cpus; i++) printf(" cpu%d=%.1f", i, busy[i]);
    printf("\n");
    return 0;
}
