// c-floor: the least a server can do per request, as the floor the other targets are held to.
// It answers GET /plaintext only: every "\r\n\r\n" it reads counts as one request and gets the
// fixed /plaintext answer; request lines and bodies are not looked at. Edge-triggered epoll, one
// SO_REUSEPORT listener per thread, all answers of one read batched into one write.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>
#define MAXFD 65536
static const char kHead[] = "HTTP/1.1 200 OK\r\nServer: evbench\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nDate: ";
static int port = 0, threads = 1, nthreads, lfds[64];
static char host[64] = "127.0.0.1";
static unsigned tail[MAXFD];  // the last 3 bytes each connection sent, so a split "\r\n\r\n" counts
static struct { unsigned long n; char pad[56]; } served[64];

static int listen_on(int p) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(p)};
  inet_pton(AF_INET, host, &a.sin_addr);
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // inherited by accepted sockets
  socklen_t len = sizeof a;
  if (bind(fd, (struct sockaddr*)&a, len) || listen(fd, 4096) || getsockname(fd, (struct sockaddr*)&a, &len))
    perror("c-floor: bind/listen"), exit(1);
  return port = ntohs(a.sin_port), fd;
}

static void* loop(void* arg) {
  int id = (int)(long)arg, ep = epoll_create1(0), n, i;
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfds[id]}, evs[256], cin = {.events = EPOLLIN};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, lfds[id], &ev) || (id == 0 && epoll_ctl(ep, EPOLL_CTL_ADD, 0, &cin))) exit(1);  // stdin must be a pipe
  static __thread char in[65536], out[65536 * 2], answer[256];
  size_t alen = 0; time_t now = 0;
  for (;;) {
    n = epoll_wait(ep, evs, 256, -1);  // n = -1 on EINTR: the loop below does nothing
    if (time(NULL) != now) {  // the Date header changes once a second; build the answer then
      struct tm t; now = time(NULL), gmtime_r(&now, &t);
      alen = strlen(strcpy(answer, kHead));
      alen += strftime(answer + alen, 64, "%a, %d %b %Y %H:%M:%S GMT\r\n\r\nHello, World!", &t);
    }
    for (i = 0; i < n; i++) {
      int fd = evs[i].data.fd;
      if (fd == 0) {  // "stats" lines get one JSON line each; EOF ends the process
        ssize_t r = read(0, in, sizeof in);
        if (r <= 0) exit(0);
        for (char* s = in; (s = memmem(s, in + r - s, "stats", 5)); s += 5) {
          unsigned long total = 0, k = 0;
          while (k < (unsigned long)nthreads) total += __atomic_load_n(&served[k++].n, __ATOMIC_RELAXED);
          printf("{\"runtime\":\"c\",\"gcCycles\":0,\"gcPauseNs\":0,\"allocBytes\":null,\"allocObjects\":null,"
                 "\"heapBytes\":null,\"requests\":%lu,\"versions\":{\"cc\":\"%s\"},\"extra\":{}}\n", total, __VERSION__);
          fflush(stdout);
        }
      } else if (fd == lfds[id]) {
        for (int c; (c = accept4(fd, NULL, NULL, SOCK_NONBLOCK)) >= 0;) {
          struct epoll_event ce = {.events = EPOLLIN | EPOLLET | EPOLLRDHUP, .data.fd = c};
          if (c >= MAXFD) close(c); else tail[c] = 0, epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
        }
      } else {
        size_t o = 0; ssize_t r; unsigned long count = 0;
        while ((r = read(fd, in, sizeof in)) > 0) {
          unsigned t = tail[fd];  // a shift register of the last four bytes seen
          for (ssize_t k = 0; k < r; k++) {
            t = (t << 8) | (unsigned char)in[k];
            if (t != 0x0d0a0d0a) continue;
            if (o + alen > sizeof out) o = write(fd, out, o) * 0;
            memcpy(out + o, answer, alen), o += alen, count++;
          }
          tail[fd] = t;
          if (r < (ssize_t)sizeof in) break;  // short read: drained (epoll(7)), skip the EAGAIN read
        }
        if (o) write(fd, out, o);  // a floor: assumes the socket buffer takes the batch
        __atomic_store_n(&served[id].n, served[id].n + count, __ATOMIC_RELAXED);
        if (r == 0 || (r < 0 && errno != EAGAIN) || (evs[i].events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP))) close(fd);
      }
    }
  }
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; i++) {
    const char* v = i + 1 < argc ? argv[i + 1] : "";
    if (!strcmp(argv[i], "--port")) port = atoi(v), i++;
    else if (!strcmp(argv[i], "--threads") && (threads = atoi(v)) >= 1 && threads <= 64) i++;
    else if (!strcmp(argv[i], "--host") && strlen(v) < sizeof host) strcpy(host, v), i++;
    else if (!strcmp(argv[i], "--mode") && !strcmp(v, "http")) i++;
    else { fprintf(stderr, "c-floor: unsupported flag or value: %s %s (http mode only)\n", argv[i], v); return 2; }
  }
  for (nthreads = 0; nthreads < threads; nthreads++) lfds[nthreads] = listen_on(port);
  printf("READY %d\n", port), fflush(stdout);
  for (pthread_t th; --threads > 0;) pthread_create(&th, NULL, loop, (void*)(long)threads);
  loop(0);
}
