// The held-out floor for opening connections: a minimal epoll connector. It opens N
// non-blocking TCP connections to one target as fast as it can (from the source addresses
// given, bound with IP_BIND_ADDRESS_NO_PORT, connection i from address i mod n), counts those
// that were established, reads its own CPU time once all are done, closes them and prints one
// JSON line. No request is sent: this is the cost of connecting and nothing else.
//   conn-floor --host 127.0.0.1 --port P --connections N [--sources a,b,...] [--batch 256]
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOURCES 256

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu_s(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
         (double)u.ru_stime.tv_usec / 1e6;
}

static void usage(const char *why) {
  fprintf(stderr,
          "conn-floor: %s; usage: conn-floor --host 127.0.0.1 --port P --connections N [--sources a,b] [--batch 256]\n",
          why);
  exit(2);
}

struct options {
  const char *host;
  int port, n, batch, nsources;
  struct sockaddr_in sources[MAX_SOURCES];
};

static void parse_sources(struct options *o, const char *v) {
  char *list = strdup(v);
  for (char *tok = strtok(list, ","); tok != NULL && o->nsources < MAX_SOURCES; tok = strtok(NULL, ",")) {
    memset(&o->sources[o->nsources], 0, sizeof o->sources[o->nsources]);
    o->sources[o->nsources].sin_family = AF_INET;
    if (inet_pton(AF_INET, tok, &o->sources[o->nsources].sin_addr) != 1) usage("--sources takes IPv4 addresses");
    ++o->nsources;
  }
  free(list);
}

static void parse_args(struct options *o, int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (v == NULL) usage("a flag without its value");
    if (!strcmp(a, "--host"))
      o->host = v;
    else if (!strcmp(a, "--port"))
      o->port = atoi(v);
    else if (!strcmp(a, "--connections"))
      o->n = atoi(v);
    else if (!strcmp(a, "--batch"))
      o->batch = atoi(v);
    else if (!strcmp(a, "--sources"))
      parse_sources(o, v);
    else
      usage("unknown flag");
    ++i;
  }
  if (o->port <= 0 || o->n <= 0 || o->batch <= 0) usage("--port and --connections are required");
}

/** Starts one non-blocking connect: 1 opened at once, 0 in progress (registered), -1 failed. */
static int start_connect(const struct options *o, int ep, const struct sockaddr_in *to, int i, int *fd_out) {
  int one = 1;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  *fd_out = fd;
  if (fd < 0) return -1;
  if (o->nsources > 0) {
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    if (bind(fd, (const struct sockaddr *)&o->sources[i % o->nsources], sizeof o->sources[0]) < 0) return -1;
  }
  if (connect(fd, (const struct sockaddr *)to, sizeof *to) == 0) return 1;
  if (errno != EINPROGRESS) return -1;
  struct epoll_event ev = {.events = EPOLLOUT, .data.fd = fd};
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  return 0;
}

int main(int argc, char **argv) {
  struct options o = {.host = "127.0.0.1", .batch = 256};
  parse_args(&o, argc, argv);
  struct rlimit lim;
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o.port)};
  if (inet_pton(AF_INET, o.host, &to.sin_addr) != 1) usage("--host takes an IPv4 address");
  int n = o.n;
  int *fds = calloc((size_t)n, sizeof *fds);
  int ep = epoll_create1(0);
  struct epoll_event evs[256];
  int started = 0, pending = 0, opened = 0, failed = 0;
  double t0 = now_s(), cpu0 = cpu_s();
  while (started < n || pending > 0) {
    for (int k = 0; k < o.batch && started < n; ++k, ++started) {
      int r = start_connect(&o, ep, &to, started, &fds[started]);
      if (r > 0)
        ++opened;
      else if (r < 0)
        ++failed;
      else
        ++pending;
    }
    int got = epoll_wait(ep, evs, 256, started < n ? 0 : 5000);
    if (got == 0 && started >= n) break;  // 5 s without a completion: the rest count as failed
    for (int i = 0; i < got; ++i) {
      int fd = evs[i].data.fd, err = 0;
      socklen_t len = sizeof err;
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
      --pending;
      if (err == 0)
        ++opened;
      else
        ++failed;
    }
  }
  double wall = now_s() - t0, cpu = cpu_s() - cpu0;
  for (int i = 0; i < started; ++i)
    if (fds[i] >= 0) close(fds[i]);
  printf("{\"connections\":%d,\"opened\":%d,\"failed\":%d,\"unfinished\":%d,\"wallS\":%.6f,\"cpuS\":%.6f}\n", n, opened,
         failed, pending, wall, cpu);
  return 0;
}
