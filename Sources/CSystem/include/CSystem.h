// Small C shims for the Linux interfaces Swift's Glibc module does not export:
// epoll, timerfd, eventfd, signal blocking for signalfd, and a few socket options.
#ifndef CSYSTEM_H
#define CSYSTEM_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#ifdef __cplusplus
extern "C" {
#endif

// Event bits, mirrored from <sys/epoll.h> (the macros are not importable as one type).
extern const uint32_t csys_EPOLLIN;
extern const uint32_t csys_EPOLLOUT;
extern const uint32_t csys_EPOLLERR;
extern const uint32_t csys_EPOLLHUP;
extern const uint32_t csys_EPOLLRDHUP;
extern const uint32_t csys_EPOLLET;
extern const uint32_t csys_EPOLLEXCLUSIVE;

typedef struct {
    uint32_t events;
    uint64_t data;
} csys_event;

/// epoll_create1(EPOLL_CLOEXEC); -1 and errno on failure.
int csys_epoll_create(void);
/// EPOLL_CTL_ADD / MOD / DEL with a 64-bit user token.
int csys_epoll_add(int epfd, int fd, uint32_t events, uint64_t token);
int csys_epoll_mod(int epfd, int fd, uint32_t events, uint64_t token);
int csys_epoll_del(int epfd, int fd);
/// epoll_wait into `out` (at most `max` entries); returns the count or -1.
int csys_epoll_wait(int epfd, csys_event *out, int max, int timeout_ms);

/// eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC).
int csys_eventfd(void);
int csys_eventfd_signal(int fd);
int csys_eventfd_drain(int fd);

/// timerfd on CLOCK_MONOTONIC, non-blocking. Arm with an absolute-free relative delay
/// in nanoseconds (0 disarms), optionally repeating every `interval_ns`.
int csys_timerfd(void);
int csys_timerfd_arm(int fd, uint64_t delay_ns, uint64_t interval_ns);
int csys_timerfd_drain(int fd);

/// A non-blocking, close-on-exec TCP listener bound to host:port with SO_REUSEADDR and
/// SO_REUSEPORT (so every event loop can own one and the kernel spreads connections).
/// Returns the fd or -1 with errno set; `*bound_port` receives the port actually bound.
int csys_tcp_listen(const char *host, int port, int backlog, int reuse_port, int *bound_port);
/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC; the peer's printable address goes to `addr`.
int csys_accept(int listen_fd, char *addr, int addr_len);
/// TCP_NODELAY on.
int csys_set_nodelay(int fd);
/// Shrinks the kernel's socket buffers (used for tests of slow consumers).
int csys_set_sndbuf(int fd, int bytes);

/// Blocks SIGTERM, SIGINT, SIGHUP and SIGPIPE for the calling thread and every thread it
/// starts afterwards (call it before starting threads), so only the signalfd sees them.
int csys_block_shutdown_signals(void);
/// A signalfd that becomes readable on SIGTERM, SIGINT or SIGHUP (block them first).
int csys_signalfd_for_shutdown(void);
/// SIGHUP's number (the reload signal), for comparing with `csys_signalfd_read`.
extern const int csys_SIGHUP;
/// Makes standard output line-buffered, so log lines appear at once even in a pipe.
void csys_line_buffer_stdout(void);
/// Reads one signal from the signalfd; returns its number or -1.
int csys_signalfd_read(int fd);

/// writev with SIGPIPE suppressed through MSG_NOSIGNAL semantics (sendmsg).
ssize_t csys_sendv(int fd, const struct iovec *iov, int iovcnt);

/// Monotonic clock in nanoseconds.
uint64_t csys_monotonic_ns(void);

/// CPUs this process may run on (its affinity mask), at least 1.
int csys_cpu_count(void);

/// Applies the server TLS policy that OpenSSL only exposes as macros to an `SSL_CTX *`
/// (passed as void * so this header does not pull OpenSSL into every importer): TLS 1.2
/// minimum, no renegotiation, no compression, server cipher preference, no server-side
/// session cache (TLS 1.3 tickets resume statelessly), EOF without close_notify read as
/// an end of stream, partial writes, moving write
/// buffers, released idle buffers and read-ahead. Returns 1 on success, 0 on failure.
int csys_tls_apply_policy(void *ssl_ctx);
/// `SSL_CTX_set1_groups_list` (a macro): the key-exchange groups offered. 1 on success.
int csys_tls_set_groups(void *ssl_ctx, const char *groups);

/// Pins the calling thread to one CPU; returns 0 on success.
int csys_pin_thread(int cpu);

#ifdef __cplusplus
}
#endif
#endif
