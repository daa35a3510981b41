// wsload live: the receiving side of benchmarks/live/live_bench.py (the help desk's /api/live).
// Compiled as part of wsload.c (included there: one gcc command, shared static helpers).
//
//   wsload live PORT SPEC_FILE READY_FILE
//       SPEC_FILE has one line per connection: "SESSION_COOKIE ROOM[,ROOM...]" (at most 8 rooms).
//       Opens every connection to /api/live with that session cookie (64 handshakes at a time),
//       subscribes its rooms, and
//       writes READY_FILE ("CONNECT_S") once every subscription is answered. Then it times every
//       event that carries a writer's stamp ("bench t=<CLOCK_MONOTONIC ns>" in a note body, a new
//       subject, or a notification title): one end-to-end latency per arrival. On SIGUSR1 it ends
//       the measured phase; then (the reconnect storm) it drops every socket at once (RST), opens
//       them all again subscribing with `since` = the last seq it saw per room, and counts the time
//       until all are resubscribed, failures, and events seen twice. Prints one JSON line.
// The server's JSON has sorted keys, so the top-level "room", "seq" and "type" of a frame are their
// last occurrences, and an event's "kind" is its first.

#include <signal.h>

#define LIVE_MAX_ROOMS 8
#define LIVE_MAX_CONNS 19000

typedef struct {
    Conn c;
    char cookie[160];
    int nrooms;
    char rooms[LIVE_MAX_ROOMS][48];
    uint64_t last_seq[LIVE_MAX_ROOMS];
    int pending;  // subscriptions not yet answered
    int open;     // 0 closed, 1 handshaking, 2 open
    int resume;
} LiveConn;

static LiveConn *lcs;
static int nlive, live_port;
static volatile sig_atomic_t live_stop;
static int live_measuring, live_storm;
static uint64_t live_pending_total, live_events, live_stamped, live_dups, live_dups_storm, live_errors,
    live_resyncs, live_replayed;
static uint32_t *live_lat, *live_notif_lat;
static size_t n_live_lat, n_notif_lat, cap_live_lat;
static LiveConn *live_current;

static const unsigned char *mem_last(const unsigned char *p, size_t n, const char *needle) {
    size_t k = strlen(needle);
    if (n < k) return NULL;
    for (size_t i = n - k + 1; i-- > 0;)
        if (p[i] == (unsigned char)needle[0] && memcmp(p + i, needle, k) == 0) return p + i;
    return NULL;
}

static uint64_t digits_at(const unsigned char *p, const unsigned char *end) {
    uint64_t v = 0;
    while (p < end && *p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
    return v;
}

// The stamp a measured event carries, or 0 (an event of another kind, or a board `ticket.updated`
// for a new note, whose subject holds an old stamp).
static uint64_t live_stamp(const unsigned char *p, uint64_t n, int *is_notification) {
    const unsigned char *end = p + n;
    const unsigned char *k = memmem(p, n, "\"kind\":\"", 8);
    if (!k) return 0;
    k += 8;
    *is_notification = 0;
    if ((size_t)(end - k) > 20 && !memcmp(k, "ticket.updated\"", 15)) {
        const unsigned char *cf = memmem(p, n, "\"changedFields\":[", 17);
        if (!cf) return 0;
        const unsigned char *close_br = memchr(cf, ']', end - cf);
        if (!close_br || !memmem(cf, close_br - cf, "\"subject\"", 9)) return 0;
    } else if ((size_t)(end - k) > 21 && !memcmp(k, "notification.created\"", 21)) {
        *is_notification = 1;
    } else if (!((size_t)(end - k) > 14 && !memcmp(k, "message.added\"", 14))) {
        return 0;
    }
    const unsigned char *b = memmem(p, n, "bench t=", 8);
    return b ? digits_at(b + 8, end) : 0;
}

static void live_text(const unsigned char *p, uint64_t n, uint64_t now) {
    LiveConn *lc = live_current;
    const unsigned char *t = mem_last(p, n, "\"type\":\"");
    if (!t) { bad_frames++; return; }
    t += 8;
    size_t rest = p + n - t;
    if (rest >= 11 && !memcmp(t, "subscribed\"", 11)) {
        if (lc->pending > 0) { lc->pending--; live_pending_total--; }
        return;
    }
    if (rest >= 6 && !memcmp(t, "error\"", 6)) { live_errors++; return; }
    if (rest >= 7 && !memcmp(t, "resync\"", 7)) { live_resyncs++; return; }
    if (!(rest >= 6 && !memcmp(t, "event\"", 6))) return;  // hello, presence, viewing, typing, pong
    if (live_measuring) live_events++;
    const unsigned char *r = mem_last(p, n, "\"room\":\""), *sq = mem_last(p, n, "\"seq\":");
    if (!r || !sq) { bad_frames++; return; }
    r += 8;
    const unsigned char *rq = memchr(r, '"', p + n - r);
    if (!rq) { bad_frames++; return; }
    int ri = -1;
    for (int i = 0; i < lc->nrooms; i++)
        if ((size_t)(rq - r) == strlen(lc->rooms[i]) && !memcmp(r, lc->rooms[i], rq - r)) ri = i;
    if (ri < 0) { bad_frames++; return; }
    uint64_t seq = digits_at(sq + 6, p + n);
    if (seq <= lc->last_seq[ri]) {  // protocol.md 2.5: a client ignores an event it has already seen
        if (live_storm) live_dups_storm++; else live_dups++;
        return;
    }
    lc->last_seq[ri] = seq;
    if (live_storm) { live_replayed++; return; }
    if (!live_measuring) return;
    int is_notification = 0;
    uint64_t ts = live_stamp(p, n, &is_notification);
    if (!ts || ts > now) return;
    live_stamped++;
    uint64_t us = (now - ts) / 1000;
    uint32_t v = us > 0xffffffffu ? 0xffffffffu : (uint32_t)us;
    if (n_live_lat < cap_live_lat) live_lat[n_live_lat++] = v;
    if (is_notification && n_notif_lat < cap_live_lat) live_notif_lat[n_notif_lat++] = v;
}

static int send_json(int fd, const char *json) { return send_text(fd, json, (int)strlen(json)); }

// Starts lc's connection: connect (loopback: completes at once unless the server's accept queue is
// full) and send the upgrade request; the answer is read by the loop (live_handshake), so up to
// LIVE_IN_FLIGHT handshakes proceed together, as a crowd of browsers would.
#define LIVE_IN_FLIGHT 64
static int live_in_flight, live_failed;

static int live_start(int ep, int index, int resume) {
    LiveConn *lc = &lcs[index];
    const char *srcs[] = {"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"};
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (fd < 0) return -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in la = {.sin_family = AF_INET, .sin_port = 0};
    inet_pton(AF_INET, srcs[(index / 15000) % 4], &la.sin_addr);
    setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(live_port)};
    inet_pton(AF_INET, HOST, &sa.sin_addr);
    if (bind(fd, (struct sockaddr *)&la, sizeof la) < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { close(fd); return -1; }
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET /api/live HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                     "Cookie: helpdesk_session=%s\r\n\r\n", live_port, lc->cookie);
    if (write(fd, req, n) != n) { close(fd); return -1; }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    lc->c.fd = fd;
    lc->c.len = 0;
    lc->open = 1;  // handshaking
    lc->resume = resume;
    live_in_flight++;
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = index};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    return 0;
}

// Gives up on a connection whose handshake or subscriptions failed.
static void live_fail(int ep, LiveConn *lc) {
    epoll_ctl(ep, EPOLL_CTL_DEL, lc->c.fd, NULL);
    close(lc->c.fd);
    if (lc->open == 1) live_in_flight--;
    lc->open = 0;
    live_failed++;
}

// Reads the upgrade answer; on 101 subscribes the rooms (with `since` when resuming and a seq is
// known) and hands what follows the head to the frame parser.
static void live_handshake(int ep, int index) {
    LiveConn *lc = &lcs[index];
    Conn *c = &lc->c;
    int r = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
    if (r <= 0) { if (r == 0 || errno != EAGAIN) live_fail(ep, lc); return; }
    c->len += r;
    unsigned char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
    if (!end) { if (c->len >= c->cap - 1) live_fail(ep, lc); return; }
    if (c->len < 12 || memcmp(c->buf, "HTTP/1.1 101", 12) != 0) { live_fail(ep, lc); return; }
    int head = (int)(end + 4 - c->buf);
    memmove(c->buf, c->buf + head, c->len - head);
    c->len -= head;
    lc->open = 2;
    live_in_flight--;
    for (int i = 0; i < lc->nrooms; i++) {
        char msg[160];
        if (lc->resume && lc->last_seq[i])
            snprintf(msg, sizeof msg, "{\"type\":\"subscribe\",\"room\":\"%s\",\"since\":%llu}", lc->rooms[i],
                     (unsigned long long)lc->last_seq[i]);
        else
            snprintf(msg, sizeof msg, "{\"type\":\"subscribe\",\"room\":\"%s\"}", lc->rooms[i]);
        if (send_json(c->fd, msg) < 0) { live_fail(ep, lc); return; }
    }
    lc->pending = lc->nrooms;
    live_pending_total += lc->nrooms;
    live_current = lc;
    parse(c, now_ns());
}

static void live_read(int ep, int index) {
    LiveConn *lc = &lcs[index];
    if (lc->open == 1) { live_handshake(ep, index); return; }
    if (lc->open != 2) return;
    live_current = lc;
    uint64_t closed_before = closed_conns;
    drain_conn(ep, &lc->c);
    if (closed_conns != closed_before) {
        lc->open = 0;
        live_pending_total -= lc->pending;
        lc->pending = 0;
    }
}

// Opens every connection, LIVE_IN_FLIGHT handshakes at a time; returns how many failed.
static int live_open_all(int ep, int resume) {
    struct epoll_event evs[1024];
    int next = 0;
    live_failed = 0;
    uint64_t deadline = now_ns() + 300000000000ull;
    while ((next < nlive || live_in_flight > 0) && now_ns() < deadline) {
        while (next < nlive && live_in_flight < LIVE_IN_FLIGHT) {
            if (live_start(ep, next, resume) < 0) live_failed++;
            next++;
        }
        int k = epoll_wait(ep, evs, 1024, 50);
        for (int e = 0; e < k; e++) live_read(ep, evs[e].data.u32);
    }
    return live_failed + (nlive - next) + live_in_flight;
}

// Runs the loop until `done()` or the deadline; returns 1 when done() became true.
static int live_loop(int ep, uint64_t deadline, int (*done)(void)) {
    struct epoll_event evs[1024];
    while (!done()) {
        if (now_ns() >= deadline) return 0;
        int k = epoll_wait(ep, evs, 1024, 50);
        for (int e = 0; e < k; e++) live_read(ep, evs[e].data.u32);
    }
    return 1;
}

static int all_subscribed(void) { return live_pending_total == 0; }
static int stop_requested(void) { return live_stop != 0; }
static void on_usr1(int sig) { (void)sig; live_stop = 1; }

static int live_load_spec(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { fprintf(stderr, "live: cannot read %s\n", path); return -1; }
    lcs = calloc(LIVE_MAX_CONNS, sizeof(LiveConn));
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        if (nlive >= LIVE_MAX_CONNS) { fprintf(stderr, "live: at most %d connections\n", LIVE_MAX_CONNS); fclose(f); return -1; }
        LiveConn *lc = &lcs[nlive];
        char rooms[800];
        if (sscanf(line, "%159s %799s", lc->cookie, rooms) != 2) continue;
        for (char *tok = strtok(rooms, ","); tok && lc->nrooms < LIVE_MAX_ROOMS; tok = strtok(NULL, ","))
            snprintf(lc->rooms[lc->nrooms++], sizeof lc->rooms[0], "%s", tok);
        lc->c = (Conn){-1, nlive, malloc(4096), 0, 4096};
        nlive++;
    }
    fclose(f);
    return nlive > 0 ? 0 : -1;
}

static int live(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: wsload live PORT SPEC_FILE READY_FILE\n"); return 2; }
    live_port = atoi(argv[2]);
    const char *ready = argv[4];
    if (live_load_spec(argv[3]) < 0) return 2;
    signal(SIGUSR1, on_usr1);
    text_handler = live_text;
    cap_live_lat = 20000000;
    live_lat = malloc(cap_live_lat * sizeof(uint32_t));
    live_notif_lat = malloc(cap_live_lat * sizeof(uint32_t));
    int ep = epoll_create1(0);
    uint64_t t0 = now_ns();
    int failed = live_open_all(ep, 0);
    if (failed) { fprintf(stderr, "live: %d connections failed\n", failed); return 1; }
    if (!live_loop(ep, now_ns() + 120000000000ull, all_subscribed)) { fprintf(stderr, "live: subscriptions unanswered after 120 s\n"); return 1; }
    double connect_s = (now_ns() - t0) / 1e9;
    FILE *f = fopen(ready, "w");
    if (f) { fprintf(f, "%.3f\n", connect_s); fclose(f); }
    live_measuring = 1;
    double cpu0 = cpu_s();
    uint64_t m0 = now_ns();
    live_loop(ep, m0 + 600000000000ull, stop_requested);
    double cpu = cpu_s() - cpu0, measured_s = (now_ns() - m0) / 1e9;
    live_measuring = 0;
    uint64_t closed_in_phase = closed_conns;

    // Reconnect storm: every socket reset at once, all reopened with `since`.
    for (int i = 0; i < nlive; i++) {
        if (lcs[i].open != 2) continue;
        struct linger lg = {1, 0};
        setsockopt(lcs[i].c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        epoll_ctl(ep, EPOLL_CTL_DEL, lcs[i].c.fd, NULL);
        close(lcs[i].c.fd);
        lcs[i].open = 0;
    }
    live_storm = 1;
    live_pending_total = 0;
    uint64_t s0 = now_ns();
    int storm_errors = live_open_all(ep, 1);
    int storm_done = live_loop(ep, now_ns() + 120000000000ull, all_subscribed);
    double storm_s = (now_ns() - s0) / 1e9;

    qsort(live_lat, n_live_lat, sizeof(uint32_t), cmp_u32);
    qsort(live_notif_lat, n_notif_lat, sizeof(uint32_t), cmp_u32);
    printf("{\"mode\":\"live\",\"connections\":%d,\"connect_s\":%.2f,\"measured_s\":%.2f,\"event_frames\":%llu,\"deliveries\":%llu,"
           "\"latency_p50_ms\":%.2f,\"latency_p90_ms\":%.2f,\"latency_p99_ms\":%.2f,\"latency_p999_ms\":%.2f,\"latency_max_ms\":%.2f,"
           "\"notification_deliveries\":%zu,\"notification_p50_ms\":%.2f,\"notification_p99_ms\":%.2f,"
           "\"duplicates\":%llu,\"protocol_errors\":%llu,\"bad_frames\":%llu,\"closed_by_server\":%llu,\"client_cpu_pct\":%.1f,"
           "\"reconnect_storm_s\":%.2f,\"reconnect_storm_complete\":%s,\"reconnect_storm_errors\":%d,\"replayed_after_resume\":%llu,"
           "\"duplicates_after_resume\":%llu,\"resyncs\":%llu}\n",
           nlive, connect_s, measured_s, (unsigned long long)live_events, (unsigned long long)live_stamped,
           pct(live_lat, n_live_lat, 0.5) / 1e3, pct(live_lat, n_live_lat, 0.9) / 1e3, pct(live_lat, n_live_lat, 0.99) / 1e3,
           pct(live_lat, n_live_lat, 0.999) / 1e3, n_live_lat ? live_lat[n_live_lat - 1] / 1e3 : 0.0, n_notif_lat,
           pct(live_notif_lat, n_notif_lat, 0.5) / 1e3, pct(live_notif_lat, n_notif_lat, 0.99) / 1e3,
           (unsigned long long)live_dups, (unsigned long long)live_errors, (unsigned long long)bad_frames,
           (unsigned long long)closed_in_phase, measured_s > 0 ? 100.0 * cpu / measured_s : 0.0, storm_s,
           storm_done ? "true" : "false", storm_errors, (unsigned long long)live_replayed,
           (unsigned long long)live_dups_storm, (unsigned long long)live_resyncs);
    return 0;
}
