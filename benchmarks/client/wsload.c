// Copied from the team's shared load harness (shared/bench/wsload.c).
// wsload: minimal epoll WebSocket load client for the realtime bench harness.
// Targets 127.0.0.0/8 only (refuses other hosts). Everything is bounded in time and count.
//
//   wsload fanout PORT ROOMS CLIENTS_PER_ROOM RATE_PER_ROOM DURATION_S [WARMUP_S] [MSG_BYTES] [PATH_PREFIX]
//       Opens ROOMS*CLIENTS connections to PATH_PREFIX<room> (default /ws/room/). Client 0 of each room
//       also sends RATE text msgs/s carrying a CLOCK_MONOTONIC timestamp; every text frame received by
//       any client yields one end-to-end latency sample (the server is expected to broadcast to the
//       whole room, sender included). Prints one JSON line.
//       Measurement window: the WARMUP_S after connecting are not measured; then DURATION_S are.
//       Env WSLOAD_SERVER_PID=PID: also report the server's CPU (utime+stime from /proc/PID/stat) and
//       run-queue wait (/proc/PID/task/*/schedstat) over the window. Env WSLOAD_WINDOW_FILE=PATH: write
//       the window ("START_NS END_NS", CLOCK_MONOTONIC) there once connected, for a probe to align with.
//       Frames whose byte 16 is 'P' are a probe's (below) and are counted apart, not as deliveries.
//   wsload probe PORT ROOMS RATE WINDOW_FILE [MSG_BYTES] [PATH_PREFIX]
//       A low-rate latency probe run beside `fanout` (its own process): waits for the load's WINDOW_FILE,
//       then joins each of ROOMS rooms with one connection (the last member, so the last written to)
//       and sends RATE msgs/s in total, round robin over its rooms, marked 'P'. It times its own
//       messages coming back on its own connection ("own"), and the load's messages arriving at its
//       connections ("passive", from the load client's send stamp). Its reads are few, so the figures
//       are the server's latency, not a saturated client's. Asks for SCHED_FIFO (root) so the busy load
//       client on the same core cannot delay its wake-ups; reports which policy it got.
//   wsload live PORT SPEC_FILE READY_FILE
//       The help desk's /api/live receiver for benchmarks/live/live_bench.py (see wsload_live.c).
//   wsload idle PORT CONNS HOLD_S [PATH] [PIDFILE]
//       Opens up to CONNS idle connections (source IPs 127.0.0.1..127.0.0.8 to spread ephemeral ports),
//       reports how many succeeded, then holds them HOLD_S seconds (while the harness samples server RSS).
//
// With WSLOAD_READY set, fanout prints "ready" to stderr once every connection is open.
// With WSLOAD_TLS=1 every connection speaks TLS (wss://, OpenSSL; the server's certificate is
// not verified: loopback benchmark only).
//
// Build: gcc -O2 -o wsload wsload.c -lssl -lcrypto   (wsload_live.c is included)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

static const char *HOST = "127.0.0.1";

// TLS (WSLOAD_TLS=1): one client context; each connection's SSL is found by its fd.
static SSL_CTX *tls_ctx;
static SSL *ssl_of[1 << 16];

// read(2) or SSL_read: >0 bytes, 0 end of stream, -1 with errno EAGAIN when nothing is ready.
static int io_read(int fd, void *buf, int n) {
    SSL *ssl = ssl_of[fd];
    if (!ssl) return read(fd, buf, n);
    int r = SSL_read(ssl, buf, n);
    if (r > 0) return r;
    int e = SSL_get_error(ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) { errno = EAGAIN; return -1; }
    ERR_clear_error();
    return e == SSL_ERROR_ZERO_RETURN ? 0 : -1;
}

// write(2) or SSL_write (whole buffer or nothing; retry with the same bytes after EAGAIN).
static int io_write(int fd, const void *buf, int n) {
    SSL *ssl = ssl_of[fd];
    if (!ssl) return write(fd, buf, n);
    int r = SSL_write(ssl, buf, n);
    if (r > 0) return r;
    int e = SSL_get_error(ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) { errno = EAGAIN; return -1; }
    ERR_clear_error();
    errno = EPIPE;
    return -1;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static double cpu_s(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

// CPU ticks (utime+stime) of a process from /proc/PID/stat; -1 if unreadable.
static long long proc_cpu_ticks(int pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');  // the command name may contain spaces: fields follow the last ')'
    if (!p) return -1;
    unsigned long long ut = 0, st = 0;
    // fields 3..15: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2) return -1;
    return (long long)(ut + st);
}

// Sum over a process's threads of /proc/PID/task/TID/schedstat: time on the CPU and time spent
// runnable but waiting for a CPU (the scheduler's run-queue wait), in ns.
static void proc_sched_ns(int pid, long long *run, long long *wait) {
    char path[64];
    *run = *wait = 0;
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *d = opendir(path);
    if (!d) { *run = *wait = -1; return; }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char sp[300];
        snprintf(sp, sizeof sp, "/proc/%d/task/%s/schedstat", pid, e->d_name);
        FILE *f = fopen(sp, "r");
        if (!f) continue;
        long long r = 0, w = 0;
        if (fscanf(f, "%lld %lld", &r, &w) == 2) { *run += r; *wait += w; }
        fclose(f);
    }
    closedir(d);
}

// What the load client samples at the window's start and end.
typedef struct {
    uint64_t t;
    long long srv_ticks, srv_run, srv_wait, self_run, self_wait;
    double self_cpu;
} Sample;

static void take_sample(Sample *s, int server_pid) {
    s->t = now_ns();
    s->self_cpu = cpu_s();
    proc_sched_ns(getpid(), &s->self_run, &s->self_wait);
    if (server_pid > 0) {
        s->srv_ticks = proc_cpu_ticks(server_pid);
        proc_sched_ns(server_pid, &s->srv_run, &s->srv_wait);
    } else {
        s->srv_ticks = s->srv_run = s->srv_wait = -1;
    }
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

// Percentile q of n sorted samples.
static uint32_t pct(const uint32_t *v, size_t n, double q) { return n ? v[(size_t)(q * (n - 1))] : 0; }

// Blocking connect + handshake, then switch to non-blocking. Returns fd or -1.
static int ws_connect(int port, const char *path, const char *src_ip, int timeout_ms) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (src_ip) {
        struct sockaddr_in la = {.sin_family = AF_INET, .sin_port = 0};
        inet_pton(AF_INET, src_ip, &la.sin_addr);
        setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        if (bind(fd, (struct sockaddr *)&la, sizeof la) < 0) { close(fd); return -1; }
    }
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, HOST, &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { close(fd); return -1; }
    if (tls_ctx) {
        SSL *ssl = SSL_new(tls_ctx);
        SSL_set_fd(ssl, fd);
        if (fd >= (1 << 16) || SSL_connect(ssl) != 1) { ERR_clear_error(); SSL_free(ssl); close(fd); return -1; }
        ssl_of[fd] = ssl;
    }
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                     path, port);
    if (io_write(fd, req, n) != n) { close(fd); return -1; }
    // Read byte-by-byte-ish until end of headers (small, one-off); never consume frame bytes.
    char buf[2048];
    int got = 0;
    while (got < (int)sizeof buf - 1) {
        int r = io_read(fd, buf + got, 1);
        if (r <= 0) { close(fd); return -1; }
        got += r;
        if (got >= 4 && memcmp(buf + got - 4, "\r\n\r\n", 4) == 0) break;
    }
    buf[got] = 0;
    if (strncmp(buf, "HTTP/1.1 101", 12) != 0) { close(fd); return -1; }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

// ---------------------------------------------------------------- fanout
typedef struct {
    int fd;
    int room;
    unsigned char *buf;
    int len, cap;
} Conn;

static uint32_t *lat;      // latency samples in microseconds (measurement window only)
static size_t nlat, caplat;
static uint64_t recv_total, recv_window, bytes_window, bad_frames, closed_conns, probe_frames;
static uint64_t t_meas_start, t_meas_end;

static uint64_t hex_stamp(const unsigned char *p) {
    uint64_t ts = 0;
    for (int i = 0; i < 16; i++) {
        unsigned c = p[i];
        ts = ts * 16 + (c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return ts;
}

static void on_text(const unsigned char *p, uint64_t n, uint64_t now) {
    if (n > 16 && p[16] == 'P') { probe_frames++; return; }  // a probe's message, not ours
    recv_total++;
    if (n < 16) { bad_frames++; return; }
    uint64_t ts = hex_stamp(p);
    if (ts >= t_meas_start && ts < t_meas_end) {
        recv_window++;
        bytes_window += n;
        if (nlat < caplat) {
            uint64_t us = (now - ts) / 1000;
            lat[nlat++] = us > 0xffffffffu ? 0xffffffffu : (uint32_t)us;
        }
    }
}

// Called for each complete text frame: fanout's on_text, or the probe's.
static void (*text_handler)(const unsigned char *p, uint64_t n, uint64_t now) = on_text;

// Parse complete server frames (unmasked) in c->buf.
static void parse(Conn *c, uint64_t now) {
    int off = 0;
    for (;;) {
        int avail = c->len - off;
        if (avail < 2) break;
        unsigned char *p = c->buf + off;
        int op = p[0] & 0x0f;
        uint64_t plen = p[1] & 0x7f;
        int hdr = 2;
        if (plen == 126) { if (avail < 4) break; plen = (p[2] << 8) | p[3]; hdr = 4; }
        else if (plen == 127) {
            if (avail < 10) break;
            plen = 0;
            for (int i = 0; i < 8; i++) plen = (plen << 8) | p[2 + i];
            hdr = 10;
        }
        if (p[1] & 0x80) hdr += 4;  // masked (server must not, but be tolerant)
        if ((uint64_t)avail < hdr + plen) {
            if (hdr + plen > (uint64_t)c->cap) {
                c->cap = hdr + plen + 1024;
                // compact first then grow
                memmove(c->buf, c->buf + off, avail);
                c->len = avail; off = 0;
                c->buf = realloc(c->buf, c->cap);
            }
            break;
        }
        if (op == 1) text_handler(p + hdr, plen, now);
        else if (op == 8) closed_conns++;
        off += hdr + plen;
    }
    if (off > 0) {
        memmove(c->buf, c->buf + off, c->len - off);
        c->len -= off;
    }
}

static int send_text(int fd, const char *payload, int n) {
    unsigned char f[14 + 65536];
    int h = 0;
    f[h++] = 0x81;
    if (n < 126) f[h++] = 0x80 | n;
    else { f[h++] = 0x80 | 126; f[h++] = n >> 8; f[h++] = n & 0xff; }
    unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
    memcpy(f + h, mask, 4); h += 4;
    for (int i = 0; i < n; i++) f[h + i] = payload[i] ^ mask[i & 3];
    int tot = h + n, w = 0, spins = 0;
    while (w < tot) {
        int r = io_write(fd, f + w, tot - w);
        if (r < 0) {
            if (errno == EAGAIN && spins++ < 1000) { usleep(100); continue; }  // bounded: <=100 ms
            return -1;
        }
        w += r;
    }
    return 0;
}

// Reads everything available on c and parses it; each read gets its own arrival time, so a
// long batch of ready sockets does not understate the later ones' latency.
static void drain_conn(int ep, Conn *c) {
    for (;;) {
        if (c->cap - c->len < 2048) { c->cap *= 2; c->buf = realloc(c->buf, c->cap); }
        int space = c->cap - c->len;
        int r = io_read(c->fd, c->buf + c->len, space);
        // OpenSSL returns one record per call: keep reading until it has nothing.
        if (r > 0) { c->len += r; parse(c, now_ns()); if (r < space && !tls_ctx) break; continue; }
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {  // closed or reset by the server
            closed_conns++;
            epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
        }
        break;
    }
}

static void stamp_payload(char *payload, uint64_t ts) {
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)ts);
    memcpy(payload, hex, 16);
}

static int fanout(int argc, char **argv) {
    if (argc < 7) { fprintf(stderr, "usage: wsload fanout PORT ROOMS CLIENTS RATE DURATION [WARMUP] [BYTES] [PREFIX]\n"); return 2; }
    int port = atoi(argv[2]), rooms = atoi(argv[3]), per = atoi(argv[4]);
    double rate = atof(argv[5]), dur = atof(argv[6]);
    double warm = argc > 7 ? atof(argv[7]) : 2;
    int bytes = argc > 8 ? atoi(argv[8]) : 64;
    const char *prefix = argc > 9 ? argv[9] : "/ws/room/";
    if (dur > 600 || rooms * per > 19000 || bytes < 24 || bytes > 60000 || rate > 100000) { fprintf(stderr, "bounds exceeded\n"); return 2; }
    int server_pid = getenv("WSLOAD_SERVER_PID") ? atoi(getenv("WSLOAD_SERVER_PID")) : 0;
    const char *window_file = getenv("WSLOAD_WINDOW_FILE");
    int n = rooms * per;
    Conn *cs = calloc(n, sizeof(Conn));
    int ep = epoll_create1(0);
    uint64_t t0 = now_ns();
    char path[256];
    const char *srcs[] = {"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"};
    for (int i = 0; i < n; i++) {
        int room = i / per;
        snprintf(path, sizeof path, "%s%d", prefix, room);
        int fd = ws_connect(port, path, srcs[(i / 15000) % 4], 10000);
        if (fd < 0) { fprintf(stderr, "connect %d failed (errno %d)\n", i, errno); return 1; }
        cs[i] = (Conn){fd, room, malloc(4096), 0, 4096};
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    double connect_s = (now_ns() - t0) / 1e9;
    usleep(200000);  // let the server register the last joins
    if (getenv("WSLOAD_READY")) { fprintf(stderr, "ready\n"); fflush(stderr); }  // connected: CPU sampling may start
    caplat = (size_t)(rate * rooms * per * dur * 1.2) + 1024;
    if (caplat > 50000000) caplat = 50000000;
    lat = malloc(caplat * sizeof(uint32_t));
    uint64_t start = now_ns();
    t_meas_start = start + (uint64_t)(warm * 1e9);
    t_meas_end = t_meas_start + (uint64_t)(dur * 1e9);
    if (window_file) {  // written to a temporary name and renamed, so a probe never reads half of it
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s.tmp", window_file);
        FILE *f = fopen(tmp, "w");
        if (f) { fprintf(f, "%llu %llu\n", (unsigned long long)t_meas_start, (unsigned long long)t_meas_end); fclose(f); rename(tmp, window_file); }
    }
    uint64_t stop_send = t_meas_end, stop_all = t_meas_end + 2000000000ull;  // 2 s drain
    uint64_t interval = (uint64_t)(1e9 / rate);
    uint64_t *next = malloc(rooms * sizeof(uint64_t));
    for (int r = 0; r < rooms; r++) next[r] = start + interval * r / rooms;  // spread phases
    uint64_t sent_window = 0, sent_total = 0, send_err = 0;
    char payload[65536];
    memset(payload, 'x', sizeof payload);
    struct epoll_event evs[1024];
    Sample s0 = {0}, s1 = {0};
    int have0 = 0, have1 = 0;
    double cpu0 = cpu_s();
    for (;;) {
        uint64_t now = now_ns();
        if (now >= stop_all) break;
        if (!have0 && now >= t_meas_start) { take_sample(&s0, server_pid); have0 = 1; }
        if (!have1 && now >= t_meas_end) { take_sample(&s1, server_pid); have1 = 1; }
        uint64_t soonest = stop_all;
        if (!have0) soonest = t_meas_start;
        else if (!have1) soonest = t_meas_end;
        if (now < stop_send) {
            for (int r = 0; r < rooms; r++) {
                int guard = 0;
                while (next[r] <= now && guard++ < 1000) {
                    uint64_t ts = now_ns();
                    stamp_payload(payload, ts);
                    if (send_text(cs[r * per].fd, payload, bytes) < 0) send_err++;
                    sent_total++;
                    if (ts >= t_meas_start && ts < t_meas_end) sent_window++;
                    next[r] += interval;
                }
                if (next[r] < soonest) soonest = next[r];
            }
        }
        now = now_ns();
        uint64_t wait_ns = soonest > now ? soonest - now : 0;  // precise pacing, no busy spin
        struct timespec to = {(time_t)(wait_ns / 1000000000ull), (long)(wait_ns % 1000000000ull)};
        int k = epoll_pwait2(ep, evs, 1024, &to, NULL);
        for (int e = 0; e < k; e++) drain_conn(ep, &cs[evs[e].data.u32]);
    }
    double cpu = cpu_s() - cpu0;
    double wall = (now_ns() - start) / 1e9;
    double win = (s1.t - s0.t) / 1e9;
    qsort(lat, nlat, sizeof(uint32_t), cmp_u32);
    uint64_t expected = sent_window * per;
    printf("{\"mode\":\"fanout\",\"rooms\":%d,\"clients_per_room\":%d,\"rate_per_room\":%.0f,\"msg_bytes\":%d,"
           "\"duration_s\":%.1f,\"connect_s\":%.2f,\"sent\":%llu,\"expected_deliveries\":%llu,\"delivered\":%llu,"
           "\"delivered_per_s\":%.0f,\"loss_pct\":%.3f,\"p50_us\":%u,\"p90_us\":%u,\"p99_us\":%u,\"p999_us\":%u,\"max_us\":%u,"
           "\"send_errors\":%llu,\"closed\":%llu,\"probe_frames\":%llu,\"client_cpu_pct\":%.1f,\"client_cpu_pct_run\":%.1f,"
           "\"client_wait_ms\":%.1f,\"window_s\":%.3f",
           rooms, per, rate, bytes, dur, connect_s, (unsigned long long)sent_window, (unsigned long long)expected,
           (unsigned long long)recv_window, recv_window / dur,
           expected ? 100.0 * ((double)expected - (double)recv_window) / expected : 0.0, pct(lat, nlat, 0.5),
           pct(lat, nlat, 0.9), pct(lat, nlat, 0.99), pct(lat, nlat, 0.999), nlat ? lat[nlat - 1] : 0,
           (unsigned long long)send_err, (unsigned long long)closed_conns, (unsigned long long)probe_frames,
           100.0 * (s1.self_cpu - s0.self_cpu) / win, 100.0 * cpu / wall, (s1.self_wait - s0.self_wait) / 1e6, win);
    if (server_pid > 0 && s0.srv_ticks >= 0 && s1.srv_ticks >= 0) {
        double ticks = (double)sysconf(_SC_CLK_TCK);
        printf(",\"server_cpu_s\":%.2f,\"server_cpu_pct\":%.1f,\"server_run_ms\":%.1f,\"server_wait_ms\":%.1f",
               (s1.srv_ticks - s0.srv_ticks) / ticks, 100.0 * (s1.srv_ticks - s0.srv_ticks) / ticks / win,
               (s1.srv_run - s0.srv_run) / 1e6, (s1.srv_wait - s0.srv_wait) / 1e6);
    }
    printf("}\n");
    return 0;
}

// ---------------------------------------------------------------- probe
static uint32_t *own_lat, *pas_lat;
static size_t n_own, n_pas, cap_own, cap_pas;
static uint64_t own_window_recv;

static void probe_text(const unsigned char *p, uint64_t n, uint64_t now) {
    if (n < 16) { bad_frames++; return; }
    uint64_t ts = hex_stamp(p);
    if (ts < t_meas_start || ts >= t_meas_end) return;
    uint64_t us = (now - ts) / 1000;
    uint32_t v = us > 0xffffffffu ? 0xffffffffu : (uint32_t)us;
    if (n > 16 && p[16] == 'P') {  // one probe connection per room: a 'P' frame is our own message
        own_window_recv++;
        if (n_own < cap_own) own_lat[n_own++] = v;
    } else if (n_pas < cap_pas) {
        pas_lat[n_pas++] = v;
    }
}

static int probe(int argc, char **argv) {
    if (argc < 6) { fprintf(stderr, "usage: wsload probe PORT ROOMS RATE WINDOW_FILE [BYTES] [PREFIX]\n"); return 2; }
    int port = atoi(argv[2]), rooms = atoi(argv[3]);
    double rate = atof(argv[4]);
    const char *window_file = argv[5];
    int bytes = argc > 6 ? atoi(argv[6]) : 64;
    const char *prefix = argc > 7 ? argv[7] : "/ws/room/";
    if (rooms < 1 || rooms > 1000 || rate <= 0 || rate > 1000 || bytes < 24 || bytes > 60000) { fprintf(stderr, "bounds exceeded\n"); return 2; }
    text_handler = probe_text;
    // Wait (bounded) for the load client's window: it is written once all its connections are open.
    unsigned long long ws = 0, we = 0;
    for (int i = 0; i < 12000; i++) {
        FILE *f = fopen(window_file, "r");
        if (f) { int ok = fscanf(f, "%llu %llu", &ws, &we) == 2; fclose(f); if (ok) break; }
        usleep(10000);
    }
    if (!we) { fprintf(stderr, "probe: no window in %s after 120 s\n", window_file); return 1; }
    t_meas_start = ws; t_meas_end = we;
    if (we - ws > 600000000000ull) { fprintf(stderr, "bounds exceeded\n"); return 2; }
    struct sched_param sp = {.sched_priority = 1};
    const char *policy = sched_setscheduler(0, SCHED_FIFO, &sp) == 0 ? "fifo" : "other";
    Conn *cs = calloc(rooms, sizeof(Conn));
    int ep = epoll_create1(0);
    char path[256];
    for (int i = 0; i < rooms; i++) {
        snprintf(path, sizeof path, "%s%d", prefix, i);
        int fd = ws_connect(port, path, NULL, 10000);
        if (fd < 0) { fprintf(stderr, "probe: connect %d failed (errno %d)\n", i, errno); return 1; }
        cs[i] = (Conn){fd, i, malloc(4096), 0, 4096};
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    double win = (we - ws) / 1e9;
    cap_own = (size_t)(rate * win * 1.2) + 64;
    cap_pas = 5000000;
    own_lat = malloc(cap_own * sizeof(uint32_t));
    pas_lat = malloc(cap_pas * sizeof(uint32_t));
    uint64_t interval = (uint64_t)(1e9 / rate), next = now_ns(), stop_all = we + 1000000000ull;  // 1 s drain
    uint64_t sent_window = 0, send_err = 0;
    int room = 0;
    char payload[65536];
    memset(payload, 'x', sizeof payload);
    payload[16] = 'P';
    struct epoll_event evs[256];
    Sample s0 = {0}, s1 = {0};
    int have0 = 0, have1 = 0;
    for (;;) {
        uint64_t now = now_ns();
        if (now >= stop_all) break;
        if (!have0 && now >= ws) { take_sample(&s0, 0); have0 = 1; }
        if (!have1 && now >= we) { take_sample(&s1, 0); have1 = 1; }
        if (now < we && next <= now) {
            uint64_t ts = now_ns();
            stamp_payload(payload, ts);
            if (send_text(cs[room].fd, payload, bytes) < 0) send_err++;
            if (ts >= ws) sent_window++;
            room = (room + 1) % rooms;
            next += interval;
            if (next < now) next = now;  // late (e.g. descheduled): do not burst to catch up
        }
        uint64_t soonest = now < we ? next : stop_all;
        if (!have0 && ws < soonest) soonest = ws;
        if (!have1 && we < soonest) soonest = we;
        now = now_ns();
        uint64_t wait_ns = soonest > now ? soonest - now : 0;
        struct timespec to = {(time_t)(wait_ns / 1000000000ull), (long)(wait_ns % 1000000000ull)};
        int k = epoll_pwait2(ep, evs, 256, &to, NULL);
        for (int e = 0; e < k; e++) drain_conn(ep, &cs[evs[e].data.u32]);
    }
    if (!have1) take_sample(&s1, 0);
    double swin = (s1.t - s0.t) / 1e9;
    qsort(own_lat, n_own, sizeof(uint32_t), cmp_u32);
    qsort(pas_lat, n_pas, sizeof(uint32_t), cmp_u32);
    printf("{\"mode\":\"probe\",\"rooms\":%d,\"rate\":%.0f,\"sched\":\"%s\",\"sent\":%llu,\"own_received\":%llu,"
           "\"p50_us\":%u,\"p90_us\":%u,\"p99_us\":%u,\"max_us\":%u,\"passive_samples\":%zu,\"passive_p50_us\":%u,"
           "\"passive_p90_us\":%u,\"passive_p99_us\":%u,\"passive_p999_us\":%u,\"passive_max_us\":%u,\"send_errors\":%llu,"
           "\"closed\":%llu,\"cpu_pct\":%.1f,\"wait_ms\":%.1f}\n",
           rooms, rate, policy, (unsigned long long)sent_window, (unsigned long long)own_window_recv,
           pct(own_lat, n_own, 0.5), pct(own_lat, n_own, 0.9), pct(own_lat, n_own, 0.99), n_own ? own_lat[n_own - 1] : 0,
           n_pas, pct(pas_lat, n_pas, 0.5), pct(pas_lat, n_pas, 0.9), pct(pas_lat, n_pas, 0.99), pct(pas_lat, n_pas, 0.999),
           n_pas ? pas_lat[n_pas - 1] : 0, (unsigned long long)send_err, (unsigned long long)closed_conns,
           swin > 0 ? 100.0 * (s1.self_cpu - s0.self_cpu) / swin : 0.0, (s1.self_wait - s0.self_wait) / 1e6);
    return 0;
}

// ---------------------------------------------------------------- idle
static int idle(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: wsload idle PORT CONNS HOLD_S [PATH] [READYFILE]\n"); return 2; }
    int port = atoi(argv[2]), want = atoi(argv[3]);
    double hold = atof(argv[4]);
    const char *path = argc > 5 ? argv[5] : "/ws/room/idle";
    const char *ready = argc > 6 ? argv[6] : NULL;
    if (want > 19500 || hold > 600) { fprintf(stderr, "bounds exceeded (RLIMIT_NOFILE hard limit is 20000 here)\n"); return 2; }
    const char *srcs[] = {"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"};
    int *fds = malloc(want * sizeof(int));
    int ok = 0, fails = 0, first_err = 0;
    uint64_t t0 = now_ns();
    for (int i = 0; i < want && fails < 20; i++) {
        int fd = ws_connect(port, path, srcs[(i / 15000) % 4], 5000);
        if (fd < 0) { if (!first_err) first_err = errno; fails++; continue; }
        fds[ok++] = fd;
    }
    double cs = (now_ns() - t0) / 1e9;
    fprintf(stderr, "idle: %d/%d connected in %.2fs (fails %d, first errno %d)\n", ok, want, cs, fails, first_err);
    if (ready) { FILE *f = fopen(ready, "w"); if (f) { fprintf(f, "%d\n", ok); fclose(f); } }
    // Hold; count connections the server drops.
    int ep = epoll_create1(0);
    for (int i = 0; i < ok; i++) { struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = i}; epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev); }
    uint64_t end = now_ns() + (uint64_t)(hold * 1e9);
    int dropped = 0;
    struct epoll_event evs[256];
    char junk[4096];
    while (now_ns() < end) {
        int k = epoll_wait(ep, evs, 256, 100);
        for (int e = 0; e < k; e++) {
            int r = io_read(fds[evs[e].data.u32], junk, sizeof junk);
            if (r == 0 || (r < 0 && errno != EAGAIN)) { dropped++; epoll_ctl(ep, EPOLL_CTL_DEL, fds[evs[e].data.u32], NULL); }
        }
    }
    printf("{\"mode\":\"idle\",\"requested\":%d,\"connected\":%d,\"connect_s\":%.2f,\"fails\":%d,\"first_errno\":%d,\"dropped_during_hold\":%d}\n",
           want, ok, cs, fails, first_err, dropped);
    return 0;
}

// The /api/live receiver for benchmarks/live/live_bench.py (kept apart for size; one translation unit).
#include "wsload_live.c"

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: wsload fanout|probe|live|idle ...\n"); return 2; }
    if (getenv("WSLOAD_HOST")) {
        HOST = getenv("WSLOAD_HOST");
        if (strncmp(HOST, "127.", 4) != 0) { fprintf(stderr, "only 127.0.0.0/8 targets allowed\n"); return 2; }
    }
    if (getenv("WSLOAD_TLS") && strcmp(getenv("WSLOAD_TLS"), "1") == 0) {
        tls_ctx = SSL_CTX_new(TLS_client_method());
        SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_NONE, NULL);
    }
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (!strcmp(argv[1], "fanout")) return fanout(argc, argv);
    if (!strcmp(argv[1], "idle")) return idle(argc, argv);
    if (!strcmp(argv[1], "probe")) return probe(argc, argv);
    if (!strcmp(argv[1], "live")) return live(argc, argv);
    fprintf(stderr, "unknown mode\n");
    return 2;
}
