// The loss dropper: the tc program attached to a device's ingress (in a named network namespace),
// its share changed by `set <share>` lines, its counts printed by `stats` and at stop.
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dropper.skel.h"
#include "loader.h"

struct dropper_cfg {
  unsigned threshold;
  unsigned seeded;
};

static int enter_netns(const char *name) {
  char path[256];
  snprintf(path, sizeof path, "/var/run/netns/%s", name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
    fprintf(stderr, "evb-kernel: cannot enter network namespace %s: %s\n", name, strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  close(fd);
  return 0;
}

static int set_share(struct dropper_bpf *skel, double share, bool seeded) {
  /* The draw is uniform on [0, 2^32): dropping below share * 2^32 drops that share. */
  double t = share * 4294967296.0;
  struct dropper_cfg cfg = {.threshold = t >= 4294967295.0 ? 4294967295U : (unsigned)t, .seeded = seeded};
  unsigned zero = 0;
  return bpf_map__update_elem(skel->maps.cfg, &zero, sizeof zero, &cfg, sizeof cfg, BPF_ANY);
}

static void print_tally(struct dropper_bpf *skel) {
  int n = libbpf_num_possible_cpus();
  unsigned long long v[n], sums[2] = {0, 0};
  for (unsigned k = 0; k < 2; k++) {
    if (bpf_map__lookup_elem(skel->maps.tally, &k, sizeof k, v, sizeof v, 0) != 0) continue;
    for (int i = 0; i < n; i++) sums[k] += v[i];
  }
  printf("{\"seen\":%llu,\"dropped\":%llu}\n", sums[0], sums[1]);
}

static int serve(struct dropper_bpf *skel, bool seeded) {
  printf("{\"ready\":true}\n");
  char line[128];
  while (read_command(line, sizeof line) && strcmp(line, "stop") != 0) {
    if (strcmp(line, "stats") == 0)
      print_tally(skel);
    else if (strncmp(line, "set ", 4) == 0) {
      double share = strtod(line + 4, NULL);
      if (share >= 0 && share <= 1 && set_share(skel, share, seeded) == 0)
        printf("{\"ok\":true}\n");
      else
        printf("{\"error\":\"set takes a share between 0 and 1\"}\n");
    }
  }
  print_tally(skel);
  return 0;
}

int run_dropper(const char *netns, const char *dev, double share, unsigned long seed, bool seeded) {
  if (netns && enter_netns(netns) != 0) return 1;
  int ifindex = (int)if_nametoindex(dev);
  if (ifindex == 0) {
    fprintf(stderr, "evb-kernel: no device %s%s%s\n", dev, netns ? " in " : "", netns ? netns : "");
    return 1;
  }
  struct dropper_bpf *skel = dropper_bpf__open_and_load();
  if (!skel) {
    fprintf(stderr, "evb-kernel: cannot load the dropper: %s\n", strerror(errno));
    return 1;
  }
  unsigned zero = 0, state = (unsigned)(seed ? seed : 1);
  bpf_map__update_elem(skel->maps.prng, &zero, sizeof zero, &state, sizeof state, BPF_ANY);
  set_share(skel, share, seeded);
  /* On ingress: a packet dropped on the sender's egress is reported back to its TCP (the
   * transmit fails), which sends it again as if new, so the loss would never be seen as loss. */
  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
  LIBBPF_OPTS(bpf_tc_opts, opts, .handle = 1, .priority = 1, .prog_fd = bpf_program__fd(skel->progs.drop_share));
  int err = bpf_tc_hook_create(&hook);
  bool created = err == 0;
  if (err == -EEXIST) err = 0;
  if (!err) err = bpf_tc_attach(&hook, &opts);
  if (err) {
    fprintf(stderr, "evb-kernel: cannot attach the dropper to %s: %s\n", dev, strerror(-err));
    dropper_bpf__destroy(skel);
    return 1;
  }
  int rc = serve(skel, seeded);
  opts.flags = opts.prog_fd = opts.prog_id = 0;
  bpf_tc_detach(&hook, &opts);
  if (created) bpf_tc_hook_destroy(&hook);
  dropper_bpf__destroy(skel);
  return rc;
}
