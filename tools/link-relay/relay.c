/* link-relay: a small user-space netem for kernels without sch_netem.
 *
 * It opens one TUN device inside each of two network namespaces (setns before TUNSETIFF; the
 * file descriptors stay valid after switching back) and moves IP packets between them, holding
 * each for the link's delay (plus a uniform jitter) and dropping it with the link's loss
 * probability. Packets are never reordered: a packet's release time is never before the previous
 * one's in the same direction (jitter under load therefore adds delay rather than reordering).
 *
 *   link-relay --ns-a NAME --dev-a NAME --ns-b NAME --dev-b NAME
 *              [--delay-us N] [--jitter-us N] [--loss-ppm N] [--seed N]
 *
 * Control channel, as the targets': once both devices exist it prints `READY` on stdout; each
 * `stats` line on stdin gets one JSON line of cumulative counters per direction; `set D J L`
 * (delay and jitter in us, loss in ppm) changes the link for the packets that arrive next and
 * answers `OK`; EOF on stdin or SIGTERM ends it, and the devices vanish with it (they are not
 * persistent).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define SLOT_BYTES 2048
#define SLOTS 8192 /* per direction; a full queue drops and counts the packet as overflow */

struct packet {
  uint64_t release_ns;
  uint16_t len;
  unsigned char data[SLOT_BYTES];
};

struct direction {
  int in_fd, out_fd;
  struct packet *ring;
  uint32_t head, tail; /* free-running; tail - head = queued */
  uint64_t last_release_ns;
  uint64_t received, forwarded, dropped, overflow, write_errors, bytes;
  uint64_t late_ns_sum, late_ns_max, queued_max;
};

static uint64_t delay_ns, jitter_ns, loss_ppm, rng_state = 0x9E3779B97F4A7C15ull;
static volatile sig_atomic_t stopping;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t next_random(void) { /* xorshift64*: fast, seeded, reproducible */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

static int die(const char *what) {
  fprintf(stderr, "link-relay: %s: %s\n", what, strerror(errno));
  exit(1);
}

static int open_tun_in(const char *ns, const char *dev) {
  char path[256];
  snprintf(path, sizeof path, "/var/run/netns/%s", ns);
  int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  int target = open(path, O_RDONLY | O_CLOEXEC);
  if (home < 0 || target < 0) die(path);
  if (setns(target, CLONE_NEWNET) != 0) die("setns");
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) die("/dev/net/tun");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev);
  if (ioctl(fd, TUNSETIFF, &ifr) != 0) die("TUNSETIFF");
  if (setns(home, CLONE_NEWNET) != 0) die("setns back");
  close(home);
  close(target);
  return fd;
}

static uint64_t sample_delay(void) {
  if (jitter_ns == 0) return delay_ns;
  uint64_t span = 2 * jitter_ns + 1;
  int64_t d = (int64_t)delay_ns - (int64_t)jitter_ns + (int64_t)(next_random() % span);
  return d < 0 ? 0 : (uint64_t)d;
}

/* Reads every packet waiting on the direction's input; each is dropped or queued. */
static void take_in(struct direction *d) {
  for (;;) {
    struct packet *p = &d->ring[d->tail % SLOTS];
    unsigned char scratch[SLOT_BYTES];
    int full = d->tail - d->head >= SLOTS;
    ssize_t n = read(d->in_fd, full ? scratch : p->data, SLOT_BYTES);
    if (n <= 0) return;
    d->received++;
    if (full) {
      d->overflow++;
      continue;
    }
    if (loss_ppm > 0 && next_random() % 1000000 < loss_ppm) {
      d->dropped++;
      continue;
    }
    uint64_t at = now_ns() + sample_delay();
    if (at < d->last_release_ns) at = d->last_release_ns; /* keep the order */
    d->last_release_ns = at;
    p->release_ns = at;
    p->len = (uint16_t)n;
    d->tail++;
    if (d->tail - d->head > d->queued_max) d->queued_max = d->tail - d->head;
  }
}

/* Writes every queued packet whose time has come; returns ns until the next one (or -1). */
static int64_t release_due(struct direction *d, uint64_t now) {
  while (d->head != d->tail) {
    struct packet *p = &d->ring[d->head % SLOTS];
    if (p->release_ns > now) return (int64_t)(p->release_ns - now);
    if (write(d->out_fd, p->data, p->len) == p->len) {
      d->forwarded++;
      d->bytes += p->len;
    } else {
      d->write_errors++;
    }
    uint64_t late = now - p->release_ns;
    d->late_ns_sum += late;
    if (late > d->late_ns_max) d->late_ns_max = late;
    d->head++;
  }
  return -1;
}

static void print_direction(const char *name, const struct direction *d, int comma) {
  printf("\"%s\":{\"received\":%llu,\"forwarded\":%llu,\"dropped\":%llu,\"overflow\":%llu,"
         "\"writeErrors\":%llu,\"bytes\":%llu,\"lateNsSum\":%llu,\"lateNsMax\":%llu,\"queuedMax\":%llu}%s",
         name, (unsigned long long)d->received, (unsigned long long)d->forwarded,
         (unsigned long long)d->dropped, (unsigned long long)d->overflow,
         (unsigned long long)d->write_errors, (unsigned long long)d->bytes,
         (unsigned long long)d->late_ns_sum, (unsigned long long)d->late_ns_max,
         (unsigned long long)d->queued_max, comma ? "," : "");
}

/* Answers each `stats` line; returns 0 at EOF. */
static int serve_control(const struct direction *ab, const struct direction *ba) {
  static char buf[256];
  static size_t used;
  ssize_t n = read(0, buf + used, sizeof buf - 1 - used);
  if (n == 0) return 0;
  if (n < 0) return errno == EAGAIN || errno == EINTR;
  used += (size_t)n;
  char *nl;
  while ((nl = memchr(buf, '\n', used)) != NULL) {
    if (strncmp(buf, "stats", 5) == 0) {
      printf("{");
      print_direction("aToB", ab, 1);
      print_direction("bToA", ba, 0);
      printf("}\n");
      fflush(stdout);
    } else if (strncmp(buf, "set ", 4) == 0) {
      /* set <delay-us> <jitter-us> <loss-ppm>: the next variant's link, without remaking it */
      unsigned long long d, j, l;
      if (sscanf(buf + 4, "%llu %llu %llu", &d, &j, &l) == 3 && l <= 1000000) {
        delay_ns = d * 1000ull, jitter_ns = j * 1000ull, loss_ppm = l;
        printf("OK\n");
      } else {
        printf("ERROR set needs <delay-us> <jitter-us> <loss-ppm>\n");
      }
      fflush(stdout);
    }
    size_t rest = used - (size_t)(nl + 1 - buf);
    memmove(buf, nl + 1, rest);
    used = rest;
  }
  if (used == sizeof buf - 1) used = 0; /* a line too long to be a command */
  return 1;
}

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static const char *flag(int argc, char **argv, const char *name, const char *fallback) {
  for (int i = 1; i + 1 < argc; i += 2)
    if (strcmp(argv[i], name) == 0) return argv[i + 1];
  return fallback;
}

int main(int argc, char **argv) {
  const char *ns_a = flag(argc, argv, "--ns-a", NULL), *ns_b = flag(argc, argv, "--ns-b", NULL);
  const char *dev_a = flag(argc, argv, "--dev-a", NULL), *dev_b = flag(argc, argv, "--dev-b", NULL);
  if (!ns_a || !ns_b || !dev_a || !dev_b || argc % 2 == 0) {
    fprintf(stderr, "usage: link-relay --ns-a NAME --dev-a NAME --ns-b NAME --dev-b NAME [--delay-us N] [--jitter-us N] [--loss-ppm N] [--seed N]\n");
    return 2;
  }
  delay_ns = strtoull(flag(argc, argv, "--delay-us", "0"), NULL, 10) * 1000ull;
  jitter_ns = strtoull(flag(argc, argv, "--jitter-us", "0"), NULL, 10) * 1000ull;
  loss_ppm = strtoull(flag(argc, argv, "--loss-ppm", "0"), NULL, 10);
  uint64_t seed = strtoull(flag(argc, argv, "--seed", "1"), NULL, 10);
  rng_state ^= seed * 0xBF58476D1CE4E5B9ull;
  if (rng_state == 0) rng_state = 1;
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGPIPE, SIG_IGN);

  struct direction ab = {0}, ba = {0};
  int fa = open_tun_in(ns_a, dev_a), fb = open_tun_in(ns_b, dev_b);
  ab.in_fd = fa, ab.out_fd = fb, ba.in_fd = fb, ba.out_fd = fa;
  ab.ring = calloc(SLOTS, sizeof(struct packet));
  ba.ring = calloc(SLOTS, sizeof(struct packet));
  if (!ab.ring || !ba.ring) die("calloc");
  fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
  /* A relay that waits for a CPU adds its wait to the link's delay: as root, run it above the
   * ordinary processes (it sleeps between packets, so it takes only what the packets need). */
  struct sched_param sp = {.sched_priority = 10};
  if (sched_setscheduler(0, SCHED_FIFO, &sp) != 0)
    fprintf(stderr, "link-relay: no real-time priority (%s): packets may leave late under CPU contention\n", strerror(errno));
  printf("READY\n");
  fflush(stdout);

  struct pollfd fds[3] = {{.fd = fa, .events = POLLIN}, {.fd = fb, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
  while (!stopping) {
    uint64_t now = now_ns();
    int64_t w1 = release_due(&ab, now), w2 = release_due(&ba, now);
    int64_t wait = w1 < 0 ? w2 : (w2 < 0 ? w1 : (w1 < w2 ? w1 : w2));
    if (wait < 0 || wait > 100000000) wait = 100000000; /* wake at least every 100 ms */
    struct timespec ts = {.tv_sec = wait / 1000000000, .tv_nsec = wait % 1000000000};
    int r = ppoll(fds, 3, &ts, NULL);
    if (r < 0 && errno != EINTR) die("ppoll");
    if (r <= 0) continue;
    /* A device that went away (its namespace deleted) would wake ppoll forever: stop instead. */
    if ((fds[0].revents | fds[1].revents) & (POLLERR | POLLHUP | POLLNVAL)) {
      fprintf(stderr, "link-relay: a TUN device is gone; stopping\n");
      break;
    }
    if (fds[0].revents & POLLIN) take_in(&ab);
    if (fds[1].revents & POLLIN) take_in(&ba);
    if (fds[2].revents & (POLLIN | POLLHUP | POLLERR))
      if (!serve_control(&ab, &ba)) break;
  }
  return 0;
}
