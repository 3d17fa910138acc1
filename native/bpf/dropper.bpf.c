// SPDX-License-Identifier: GPL-2.0
/* Loss in the kernel: a tc (clsact) program that drops a given share of the packets arriving at a
 * device and counts what it saw and dropped. The share is a threshold on a 32-bit draw; the
 * draw is the kernel's bpf_get_prandom_u32, or with a seed a xorshift32 kept in a map, so that a
 * run can be repeated (the draws interleave across CPUs, as packets do). */
// vmlinux.h must come first: the libbpf headers use its types.
// clang-format off
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
// clang-format on

char LICENSE[] SEC("license") = "GPL";

#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

struct dropper_cfg {
  u32 threshold;
  u32 seeded;
};
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, u32);
  __type(value, struct dropper_cfg);
} cfg SEC(".maps");
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, u32);
  __type(value, u32);
} prng SEC(".maps");
/* [0] packets seen, [1] dropped. */
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 2);
  __type(key, u32);
  __type(value, u64);
} tally SEC(".maps");

static __always_inline u32 draw(bool seeded) {
  if (!seeded) return bpf_get_prandom_u32();
  u32 zero = 0;
  u32 *s = bpf_map_lookup_elem(&prng, &zero);
  if (!s) return bpf_get_prandom_u32();
  u32 x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

static __always_inline void tally_add(u32 which) {
  u64 *c = bpf_map_lookup_elem(&tally, &which);
  if (c) *c += 1;
}

SEC("tc")
int drop_share(struct __sk_buff *skb) {
  u32 zero = 0;
  struct dropper_cfg *c = bpf_map_lookup_elem(&cfg, &zero);
  if (!c) return TC_ACT_OK;
  tally_add(0);
  if (c->threshold == 0 || draw(c->seeded) >= c->threshold) return TC_ACT_OK;
  tally_add(1);
  return TC_ACT_SHOT;
}
