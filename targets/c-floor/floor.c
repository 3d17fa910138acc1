// c-floor: the least a server can do per request, as the floor the other targets are held to.
// It answers GET and HEAD /plaintext, POST /echo with a Content-Length body (streamed back as it
// arrives, never buffered whole) and 404 for anything else; Connection: close and HTTP/1.0 close
// after the answer. Chunked request bodies and malformed requests close the connection. One
// SO_REUSEPORT listener per thread, edge-triggered epoll, all answers of one read batched into
// one write (a blocking wait only when the socket buffer is full, as with 1 MiB echoes).
// Off Linux the loop is kqueue with EV_CLEAR (macOS, the BSDs): cross-compiled, not measured.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/epoll.h>
#else
#include <fcntl.h>
#include <signal.h>
#include <sys/event.h>
#endif
#define MAXFD 65536
#define MAXHEAD 8192  // request head bytes held across reads; more: close
#define READ_MAX 65536
#if !defined(MSG_NOSIGNAL)  // macOS: SIGPIPE is ignored in main() instead
#define MSG_NOSIGNAL 0
#endif

// A non-blocking stream socket and accept: socket-type flags where they exist, fcntl on macOS.
static int nonblocking(int fd) {
#if !defined(SOCK_NONBLOCK)
  if (fd >= 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)) close(fd), fd = -1;
#endif
  return fd;
}
#if !defined(SOCK_NONBLOCK)
#define SOCK_NONBLOCK 0
#define accept4(fd, addr, len, flags) accept(fd, addr, len)
#endif

static int port = 0, threads = 1, nthreads, lfds[64];
static char host[64] = "127.0.0.1";
static struct {
  unsigned long n;
  char pad[56];
} served[64];

// Per connection: an unfinished request head carried to the next read, and the body bytes of
// the current request still to come (echoed or, for a 404, dropped).
static struct conn {
  char* hold;
  unsigned hlen;
  unsigned char echo;
  unsigned long body;
} conns[MAXFD];

// Per thread: the answer heads, rebuilt once a second for the Date header, and the output batch.
static __thread struct {
  char plain[192], missing[192], echo[192], buf[MAXHEAD + READ_MAX], out[2 * READ_MAX];
  size_t plain_len, missing_len, echo_len, o;
  time_t now;
} t;
enum route { PLAIN, ECHO, MISSING };

static void build_heads(void) {
  struct tm tm;
  char date[64];
  t.now = time(NULL), gmtime_r(&t.now, &tm);
  strftime(date, sizeof date, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
  t.plain_len = sprintf(
      t.plain, "HTTP/1.1 200 OK\r\nServer: evbench\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n%s", date);
  t.missing_len =
      sprintf(t.missing,
              "HTTP/1.1 404 Not Found\r\nServer: evbench\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n%s", date);
  t.echo_len = sprintf(
      t.echo,
      "HTTP/1.1 200 OK\r\nServer: evbench\r\nContent-Type: application/octet-stream\r\n%sContent-Length: ", date);
}

static int send_all(int fd, const char* b, size_t n) {
  while (n) {
    ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
    if (w > 0) {
      b += w, n -= w;
      continue;
    }
    struct pollfd pf = {.fd = fd, .events = POLLOUT};
    if (w < 0 && errno == EAGAIN && poll(&pf, 1, 5000) == 1) continue;
    return -1;
  }
  return 0;
}

static int put(int fd, const char* b, size_t n) {
  if (t.o + n > sizeof t.out) {
    if (send_all(fd, t.out, t.o)) return -1;
    t.o = 0;
    if (n > sizeof t.out) return send_all(fd, b, n);
  }
  memcpy(t.out + t.o, b, n), t.o += n;
  return 0;
}

// Parses one request head [p, e) (e just past the CRLF of the last header line).
// Returns the route, or -1 for what the floor does not answer (malformed, chunked).
static int parse_head(const char* p, const char* e, unsigned long* len, int* close_after, int* head_only) {
  const char* line_end = memmem(p, e - p, "\r\n", 2);
  const char* sp = memchr(p, ' ', line_end - p);
  const char* sp2 = sp ? memchr(sp + 1, ' ', line_end - sp - 1) : NULL;
  if (!sp2 || line_end - sp2 != 9 || memcmp(sp2 + 1, "HTTP/1.", 7)) return -1;
  *close_after = sp2[8] == '0', *len = 0;
  for (const char *q = line_end + 2, *nl; q < e; q = nl + 1) {
    nl = memchr(q, '\n', e - q);  // found: e ends with CRLF
    char c = *q | 0x20;           // only Content-Length, Connection and Transfer-Encoding matter
    if (c != 'c' && c != 't') continue;
    const char* v = memchr(q, ':', nl - q);
    if (!v) return -1;
    for (v++; *v == ' ' || *v == '\t'; v++) {
    }
    if (!strncasecmp(q, "content-length:", 15)) {
      if (*v < '0' || *v > '9') return -1;
      *len = strtoul(v, NULL, 10);
    } else if (!strncasecmp(q, "transfer-encoding:", 18))
      return -1;
    else if (!strncasecmp(q, "connection:", 11) && !strncasecmp(v, "close", 5))
      *close_after = 1;
  }
  const char* path_end = memchr(sp + 1, '?', sp2 - sp - 1);
  size_t m = sp - p, plen = (path_end ? path_end : sp2) - sp - 1;
  *head_only = m == 4 && !memcmp(p, "HEAD", 4);
  if (plen == 10 && !memcmp(sp + 1, "/plaintext", 10) && (*head_only || (m == 3 && !memcmp(p, "GET", 3)))) return PLAIN;
  if (plen == 5 && !memcmp(sp + 1, "/echo", 5) && m == 4 && !memcmp(p, "POST", 4)) return ECHO;
  return MISSING;
}

// Writes the answer's head (and fixed body); an echo's body follows as it is read.
static int answer(int fd, int route, unsigned long len, int close_after, int head_only) {
  static const char kClose[] = "Connection: close\r\n";
  char num[24];
  int r;
  if (route == ECHO)
    r = put(fd, t.echo, t.echo_len) | put(fd, num, sprintf(num, "%lu\r\n", len));
  else
    r = route == PLAIN ? put(fd, t.plain, t.plain_len) : put(fd, t.missing, t.missing_len);
  if (close_after) r |= put(fd, kClose, sizeof kClose - 1);
  r |= put(fd, "\r\n", 2);
  if (!head_only && route != ECHO) r |= route == PLAIN ? put(fd, "Hello, World!", 13) : put(fd, "Not Found", 9);
  return r;
}

// Consumes [p, end): body bytes owed first, then whole requests. Returns 1 to close.
static int consume(int fd, struct conn* c, char* p, char* end, unsigned long* count) {
  while (p < end) {
    if (c->body) {
      unsigned long k = (unsigned long)(end - p) < c->body ? (unsigned long)(end - p) : c->body;
      if (c->echo && put(fd, p, k)) return 1;
      p += k, c->body -= k;
      continue;
    }
    char* hend = memmem(p, end - p, "\r\n\r\n", 4);
    if (!hend) {
      if (end - p > MAXHEAD) return 1;
      if (!c->hold && !(c->hold = malloc(MAXHEAD))) return 1;
      memcpy(c->hold, p, end - p), c->hlen = end - p;
      return 0;
    }
    unsigned long len;
    int close_after, head_only;
    int route = parse_head(p, hend + 2, &len, &close_after, &head_only);
    if (route < 0 || answer(fd, route, len, close_after, head_only)) return 1;
    ++*count, p = hend + 4, c->body = len, c->echo = route == ECHO;
    if (close_after) return 2;  // after this answer; any pipelined rest is dropped
  }
  return 0;
}

static void serve(int id, int fd, int hangup) {
  struct conn* c = &conns[fd];
  char* in = t.buf + MAXHEAD;
  ssize_t r = 0;
  unsigned long count = 0;
  int done = 0;
  t.o = 0;
  while (!done && (r = read(fd, in, READ_MAX)) > 0) {
    char* p = in - c->hlen;
    if (c->hlen) memcpy(p, c->hold, c->hlen), c->hlen = 0;
    done = consume(fd, c, p, in + r, &count);
    if (r < READ_MAX) break;  // short read: drained (epoll(7)), skip the EAGAIN read
  }
  if (done != 1 && t.o && send_all(fd, t.out, t.o)) done = 1;
  __atomic_store_n(&served[id].n, served[id].n + count, __ATOMIC_RELAXED);
  if (done || r == 0 || (r < 0 && errno != EAGAIN) || hangup) {
    free(c->hold), c->hold = NULL, c->hlen = 0, c->body = 0;
    close(fd);
  }
}

static void answer_stats(void) {
  char in[4096];
  ssize_t r = read(0, in, sizeof in);
  if (r <= 0) exit(0);
  for (char* s = in; (s = memmem(s, in + r - s, "stats", 5)); s += 5) {
    unsigned long total = 0, k = 0;
    while (k < (unsigned long)nthreads) total += __atomic_load_n(&served[k++].n, __ATOMIC_RELAXED);
    printf(
        "{\"runtime\":\"c\",\"gcCycles\":0,\"gcPauseNs\":0,\"allocBytes\":null,\"allocObjects\":null,"
        "\"heapBytes\":null,\"requests\":%lu,\"versions\":{\"cc\":\"%s\"},\"extra\":{}}\n",
        total, __VERSION__);
    fflush(stdout);
  }
}

// The first listener binds before it sets SO_REUSEPORT: a port another process holds, even with
// SO_REUSEPORT itself, fails with EADDRINUSE instead of being joined (the kernel checks the flag of
// the sockets already bound when a new one binds, so the later listeners, which set it first, join
// this one). Held port: one line, exit 2; any other failure: exit 1.
static int listen_on(int p, int first) {
  int fd = nonblocking(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(p)};
  inet_pton(AF_INET, host, &a.sin_addr);
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // TIME_WAIT of an earlier run does not hold it
  if (!first) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // inherited by accepted sockets
  socklen_t len = sizeof a;
  if (bind(fd, (struct sockaddr*)&a, len)) {
    int held = errno == EADDRINUSE;
    fprintf(stderr, "c-floor: bind %s:%d: %s\n", host, p, strerror(errno));
    exit(held ? 2 : 1);
  }
  if (first) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (listen(fd, 4096) || getsockname(fd, (struct sockaddr*)&a, &len)) perror("c-floor: listen"), exit(1);
  return port = ntohs(a.sin_port), fd;
}

#if defined(__linux__)
static void* loop(void* arg) {
  int id = (int)(long)arg, ep = epoll_create1(0), n, i;
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfds[id]}, evs[256], cin = {.events = EPOLLIN};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, lfds[id], &ev) || (id == 0 && epoll_ctl(ep, EPOLL_CTL_ADD, 0, &cin)))
    exit(1);  // stdin must be a pipe
  for (;;) {
    n = epoll_wait(ep, evs, 256, -1);  // n = -1 on EINTR: the loop below does nothing
    if (time(NULL) != t.now) build_heads();
    for (i = 0; i < n; i++) {
      int fd = evs[i].data.fd;
      if (fd == 0)
        answer_stats();  // "stats" lines get one JSON line each; EOF ends the process
      else if (fd == lfds[id]) {
        for (int c; (c = nonblocking(accept4(fd, NULL, NULL, SOCK_NONBLOCK))) >= 0;) {
          struct epoll_event ce = {.events = EPOLLIN | EPOLLET | EPOLLRDHUP, .data.fd = c};
          if (c >= MAXFD)
            close(c);
          else
            epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
        }
      } else
        serve(id, fd, (evs[i].events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) != 0);
    }
  }
}
#else
static void* loop(void* arg) {
  int id = (int)(long)arg, kq = kqueue(), n, i;
  struct kevent ch[2], evs[256];
  EV_SET(&ch[0], lfds[id], EVFILT_READ, EV_ADD, 0, 0, NULL);
  EV_SET(&ch[1], 0, EVFILT_READ, EV_ADD, 0, 0, NULL);  // stdin, as with epoll
  if (kq < 0 || kevent(kq, ch, id == 0 ? 2 : 1, NULL, 0, NULL)) exit(1);
  for (;;) {
    n = kevent(kq, NULL, 0, evs, 256, NULL);  // n = -1 on EINTR: the loop below does nothing
    if (time(NULL) != t.now) build_heads();
    for (i = 0; i < n; i++) {
      int fd = (int)evs[i].ident;
      if (fd == 0)
        answer_stats();
      else if (fd == lfds[id]) {
        for (int c; (c = nonblocking(accept4(fd, NULL, NULL, SOCK_NONBLOCK))) >= 0;) {
          EV_SET(&ch[0], c, EVFILT_READ, EV_ADD | EV_CLEAR, 0, 0, NULL);  // EV_CLEAR: edge-triggered
          if (c >= MAXFD || kevent(kq, ch, 1, NULL, 0, NULL)) close(c);
        }
      } else
        serve(id, fd, (evs[i].flags & (EV_EOF | EV_ERROR)) != 0);  // EV_EOF: the peer's FIN, as EPOLLRDHUP
    }
  }
}
#endif

int main(int argc, char** argv) {
  for (int i = 1; i < argc; i++) {
    const char* v = i + 1 < argc ? argv[i + 1] : "";
    if (!strcmp(argv[i], "--port"))
      port = atoi(v), i++;
    else if (!strcmp(argv[i], "--threads") && (threads = atoi(v)) >= 1 && threads <= 64)
      i++;
    else if (!strcmp(argv[i], "--host") && strlen(v) < sizeof host)
      strcpy(host, v), i++;
    else if (!strcmp(argv[i], "--mode") && !strcmp(v, "http"))
      i++;
    else {
      fprintf(stderr, "c-floor: unsupported flag or value: %s %s (http mode only)\n", argv[i], v);
      return 2;
    }
  }
#if !defined(__linux__)
  signal(SIGPIPE, SIG_IGN);  // no MSG_NOSIGNAL on macOS: a peer's reset must not end the process
#endif
  for (nthreads = 0; nthreads < threads; nthreads++) lfds[nthreads] = listen_on(port, nthreads == 0);
  printf("READY %d\n", port), fflush(stdout);
  for (pthread_t th; --threads > 0;) pthread_create(&th, NULL, loop, (void*)(long)threads);
  loop(0);
}
