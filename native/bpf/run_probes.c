// The window's probes: load with the run's pids and ports, attach, wait for stop, detach, then
// print every map once as JSON.
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hist.h"
#include "loader.h"
#include "probes.skel.h"

static int ncpus;
static struct bpf_link *loss_probe_link;

/* The sum over CPUs of one per-CPU array slot. */
static unsigned long long percpu_sum(int fd, unsigned key) {
  unsigned long long values[ncpus];
  if (bpf_map_lookup_elem(fd, &key, values) != 0) return 0;
  unsigned long long sum = 0;
  for (int i = 0; i < ncpus; i++) sum += values[i];
  return sum;
}

/* A bucket's middle value: what the TypeScript side records into its HdrHistogram. */
static unsigned long long bucket_value(unsigned bucket) {
  if (bucket < HIST_EXACT) return bucket;
  unsigned msb = (bucket - HIST_EXACT) / HIST_SUB + 5;
  unsigned sub = (bucket - HIST_EXACT) % HIST_SUB;
  unsigned shift = msb - HIST_SUB_BITS;
  unsigned long long low = (unsigned long long)(HIST_SUB + sub) << shift;
  return low + ((1ULL << shift) >> 1);
}

static void print_hist(int fd, unsigned hist) {
  printf("[");
  bool first = true;
  for (unsigned b = 0; b < HIST_BUCKETS; b++) {
    unsigned long long n = percpu_sum(fd, hist * HIST_BUCKETS + b);
    if (n == 0) continue;
    printf("%s[%llu,%llu]", first ? "" : ",", bucket_value(b), n);
    first = false;
  }
  printf("]");
}

/* Drop reasons by name, from the kernel's own enum skb_drop_reason (BTF), prefix removed. */
static const char *reason_name(const struct btf *btf, const struct btf_type *e, unsigned value, char *buf, size_t len) {
  if (e) {
    const struct btf_enum *v = btf_enum(e);
    for (unsigned i = 0; i < btf_vlen(e); i++, v++) {
      if ((unsigned)v->val != value) continue;
      const char *name = btf__name_by_offset(btf, v->name_off);
      const char *prefix = "SKB_DROP_REASON_";
      return strncmp(name, prefix, strlen(prefix)) == 0 ? name + strlen(prefix) : name;
    }
  }
  snprintf(buf, len, "reason_%u", value);
  return buf;
}

static void print_drops(int fd) {
  struct btf *btf = btf__load_vmlinux_btf();
  const struct btf_type *e = NULL;
  if (btf) {
    int id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
    if (id > 0) e = btf__type_by_id(btf, id);
  }
  printf("{");
  bool first = true;
  char buf[32];
  for (unsigned r = 0; r < DROP_REASONS; r++) {
    unsigned long long n = percpu_sum(fd, r);
    if (n == 0) continue;
    printf("%s\"%s\":%llu", first ? "" : ",", reason_name(btf, e, r, buf, sizeof buf), n);
    first = false;
  }
  printf("}");
  btf__free(btf);
}

static void print_connections(int fd) {
  printf("[");
  unsigned key, next;
  bool first = true;
  unsigned *prev = NULL;
  while (bpf_map_get_next_key(fd, prev, &next) == 0) {
    unsigned long long n = 0;
    if (bpf_map_lookup_elem(fd, &next, &n) == 0)
      printf("%s{\"localPort\":%u,\"remotePort\":%u,\"retransmits\":%llu}", first ? "" : ",", next >> 16, next & 0xffff,
             n);
    first = false;
    key = next;
    prev = &key;
  }
  printf("]");
}

/* The probes' own CPU time and runs, from the kernel's BPF statistics: zero unless
 * kernel.bpf_stats_enabled is 1 (the kernel times each program run only then). */
static void print_cost(struct probes_bpf *skel) {
  unsigned long long ns = 0, runs = 0;
  struct bpf_program *prog;
  bpf_object__for_each_program(prog, skel->obj) {
    struct bpf_prog_info info = {0};
    unsigned len = sizeof info;
    int fd = bpf_program__fd(prog);
    if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) != 0) continue;
    ns += info.run_time_ns;
    runs += info.run_cnt;
  }
  printf("\"cost\":{\"runTimeNs\":%llu,\"runs\":%llu}", ns, runs);
}

static void print_result(struct probes_bpf *skel) {
  int c = bpf_map__fd(skel->maps.counters), h = bpf_map__fd(skel->maps.hists);
#define C(k) percpu_sum(c, k)
  printf("{\"runqueue\":{\"samples\":%llu,\"preempted\":%llu,\"voluntary\":%llu,\"buckets\":", C(C_RUNQ_SAMPLES),
         C(C_PREEMPTED), C(C_VOLUNTARY));
  print_hist(h, HIST_RUNQ);
  printf("},\"tcp\":{\"retransmits\":%llu,\"synRetransmits\":%llu,\"synackRetransmits\":%llu,\"lossProbes\":",
         C(C_RETRANSMITS), C(C_SYN_RETRANSMITS), C(C_SYNACK_RETRANSMITS));
  if (loss_probe_link)
    printf("%llu", C(C_LOSS_PROBES));
  else
    printf("null");
  printf(",\"perConnection\":");
  print_connections(bpf_map__fd(skel->maps.conn_retrans));
  printf("},\"drops\":{\"total\":%llu,\"syn\":%llu,\"reasons\":", C(C_DROPS), C(C_SYN_DROPS));
  print_drops(bpf_map__fd(skel->maps.drops));
  printf("},\"connections\":{\"active\":%llu,\"passive\":%llu,\"failed\":%llu,\"closed\":%llu,\"connectNs\":",
         C(C_CONNECTS_ACTIVE), C(C_CONNECTS_PASSIVE), C(C_CONNECT_FAILED), C(C_CLOSED));
  print_hist(h, HIST_CONNECT);
  printf(",\"lifetimeNs\":");
  print_hist(h, HIST_LIFETIME);
  printf("},\"untracked\":%llu,", C(C_TRACKED_FULL));
  print_cost(skel);
  printf("}\n");
#undef C
}

/* Thread group ids into their slots (tgid % TGID_SLOTS), a colliding one into the spill map. */
static bool fill_tgids(struct probes_bpf *skel, const struct number_list *list) {
  for (size_t i = 0; i < list->n; i++) {
    unsigned tgid = (unsigned)list->values[i], slot = tgid % TGID_SLOTS, held = 0;
    if (bpf_map__lookup_elem(skel->maps.tgid_slots, &slot, 4, &held, 4, 0) != 0) return false;
    if (held == 0 || held == tgid) {
      if (bpf_map__update_elem(skel->maps.tgid_slots, &slot, 4, &tgid, 4, BPF_ANY) != 0) return false;
      continue;
    }
    unsigned char one = 1;
    if (bpf_map__update_elem(skel->maps.tgids, &tgid, 4, &one, 1, BPF_ANY) != 0) return false;
    skel->bss->spilled = true;
  }
  return true;
}

static bool fill_ports(struct probes_bpf *skel, const struct number_list *list) {
  unsigned char one = 1;
  for (size_t i = 0; i < list->n; i++) {
    unsigned port = (unsigned)list->values[i];
    if (port > 65535 || bpf_map__update_elem(skel->maps.ports, &port, 4, &one, 1, BPF_ANY) != 0) return false;
  }
  return true;
}

static struct probes_bpf *fail(struct probes_bpf *skel, int err) {
  fprintf(stderr, "evb-kernel: cannot load or attach the probes: %s\n", strerror(-err > 0 ? -err : errno));
  probes_bpf__destroy(skel);
  return NULL;
}

static struct probes_bpf *open_and_load(const struct number_list *pids, const struct number_list *ports) {
  struct probes_bpf *skel = probes_bpf__open();
  if (!skel) return NULL;
  skel->rodata->filter_ports = ports->n > 0;
  /* The loss-probe kprobe needs kprobe events (tracefs or the kprobe PMU), which a kernel may
   * lack: it is attached on its own, and its count is null where it cannot be. */
  bpf_program__set_autoattach(skel->progs.on_loss_probe, false);
  int err = probes_bpf__load(skel);
  if (!err && !(fill_tgids(skel, pids) && fill_ports(skel, ports))) err = -EINVAL;
  return err ? fail(skel, err) : skel;
}

static bool attach(struct probes_bpf *skel) {
  int err = probes_bpf__attach(skel);
  if (err) return fail(skel, err) != NULL;
  loss_probe_link = bpf_program__attach(skel->progs.on_loss_probe);
  return true;
}

/* `start [pids]`: the processes known only when the window opens are added, then attached. */
static bool wait_for_start(struct probes_bpf *skel) {
  printf("{\"loaded\":true}\n");
  char line[4096];
  if (!read_command(line, sizeof line) || strncmp(line, "start", 5) != 0) return false;
  struct number_list more = {0};
  if (line[5] == ' ' && !parse_numbers(line + 6, "start", &more)) return false;
  return fill_tgids(skel, &more);
}

int run_probes(const struct number_list *pids, const struct number_list *ports, bool wait) {
  ncpus = libbpf_num_possible_cpus();
  struct probes_bpf *skel = open_and_load(pids, ports);
  if (!skel) return 1;
  if (wait && !wait_for_start(skel)) {
    probes_bpf__destroy(skel);
    return 0;
  }
  if (!attach(skel)) return 1;
  printf("{\"ready\":true}\n");
  char line[64];
  while (read_command(line, sizeof line) && strcmp(line, "stop") != 0) {
  }
  probes_bpf__detach(skel);
  bpf_link__destroy(loss_probe_link);
  print_result(skel);
  probes_bpf__destroy(skel);
  return 0;
}

int run_check(void) {
  struct number_list none = {0};
  struct probes_bpf *skel = open_and_load(&none, &none);
  if (!skel || !attach(skel)) return 1;
  printf("{\"ok\":true,\"lossProbes\":%s}\n", loss_probe_link ? "true" : "false");
  bpf_link__destroy(loss_probe_link);
  probes_bpf__destroy(skel);
  return 0;
}
