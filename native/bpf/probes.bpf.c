// SPDX-License-Identifier: GPL-2.0
/* The measurement window's probes: run-queue latency of the run's processes (wake-up or
 * preemption to running), TCP retransmissions, loss probes and drops with their reasons, and
 * connect latency and connection lifetimes, all filtered to the run's processes and ports.
 * Everything is counted in maps that the loader reads once, when the window closes. */
// vmlinux.h must come first: the libbpf headers use its types.
// clang-format off
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "hist.h"
// clang-format on

char LICENSE[] SEC("license") = "GPL";

const volatile bool filter_ports = false;

/* The filters run for every task switch and every dropped packet on the machine, so they are
 * array lookups (inlined by the verifier), not hash lookups: a traced thread group id sits in
 * the slot tgid % TGID_SLOTS (the loader puts one that collides in tgids_spill, checked only
 * when spilled is set), and ports is a bitmap of all 65536 ports. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, TGID_SLOTS);
  __type(key, u32);
  __type(value, u32);
} tgid_slots SEC(".maps");
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, MAX_TGIDS);
  __type(key, u32);
  __type(value, u8);
} tgids SEC(".maps");
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 65536);
  __type(key, u32);
  __type(value, u8);
} ports SEC(".maps");
volatile bool spilled = false;
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 65536);
  __type(key, u32);
  __type(value, u64);
} enqueued SEC(".maps");
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, HIST_COUNT *HIST_BUCKETS);
  __type(key, u32);
  __type(value, u64);
} hists SEC(".maps");
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, C_COUNT);
  __type(key, u32);
  __type(value, u64);
} counters SEC(".maps");
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, DROP_REASONS);
  __type(key, u32);
  __type(value, u64);
} drops SEC(".maps");
/* Per connection (local port << 16 | remote port): its retransmissions. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, MAX_CONNS);
  __type(key, u32);
  __type(value, u64);
} conn_retrans SEC(".maps");
struct sk_times {
  u64 syn_sent;
  u64 established;
};
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 65536);
  __type(key, u64);
  __type(value, struct sk_times);
} socks SEC(".maps");

static __always_inline void count(u32 which) {
  u64 *c = bpf_map_lookup_elem(&counters, &which);
  if (c) *c += 1;
}

static __always_inline u32 log2_u64(u64 v) {
  u32 r = 0;
  if (v >> 32) {
    v >>= 32;
    r += 32;
  }
  if (v >> 16) {
    v >>= 16;
    r += 16;
  }
  if (v >> 8) {
    v >>= 8;
    r += 8;
  }
  if (v >> 4) {
    v >>= 4;
    r += 4;
  }
  if (v >> 2) {
    v >>= 2;
    r += 2;
  }
  if (v >> 1) {
    r += 1;
  }
  return r;
}

static __always_inline void record(u32 hist, u64 v) {
  u32 bucket;
  if (v < HIST_EXACT) {
    bucket = v;
  } else {
    u32 msb = log2_u64(v);
    bucket = HIST_EXACT + (msb - 5) * HIST_SUB + ((v >> (msb - HIST_SUB_BITS)) & (HIST_SUB - 1));
  }
  if (bucket >= HIST_BUCKETS) bucket = HIST_BUCKETS - 1;
  u32 key = hist * HIST_BUCKETS + bucket;
  u64 *c = bpf_map_lookup_elem(&hists, &key);
  if (c) *c += 1;
}

static __always_inline bool traced_tgid(u32 tgid) {
  u32 slot = tgid % TGID_SLOTS;
  u32 *held = bpf_map_lookup_elem(&tgid_slots, &slot);
  if (held && *held == tgid && tgid != 0) return true;
  return spilled && bpf_map_lookup_elem(&tgids, &tgid) != NULL;
}

/* Adds a thread group (a child of a traced one): its slot if free, else the spill map. */
static __always_inline void trace_tgid(u32 tgid) {
  u32 slot = tgid % TGID_SLOTS;
  u32 *held = bpf_map_lookup_elem(&tgid_slots, &slot);
  if (!held) return;
  if (*held == 0 || *held == tgid) {
    *held = tgid;
    return;
  }
  u8 one = 1;
  if (bpf_map_update_elem(&tgids, &tgid, &one, BPF_NOEXIST) == 0) spilled = true;
}

static __always_inline bool traced_task(struct task_struct *p) { return traced_tgid(BPF_CORE_READ(p, tgid)); }

static __always_inline void enqueue(struct task_struct *p) {
  if (!traced_task(p)) return;
  u32 pid = BPF_CORE_READ(p, pid);
  u64 now = bpf_ktime_get_ns();
  bpf_map_update_elem(&enqueued, &pid, &now, BPF_ANY);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(on_wakeup, struct task_struct *p) {
  enqueue(p);
  return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(on_wakeup_new, struct task_struct *p) {
  enqueue(p);
  return 0;
}

/* A child of a traced process (a cluster worker, a forked helper) is traced too. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child) {
  if (!traced_task(parent)) return 0;
  trace_tgid(BPF_CORE_READ(child, tgid));
  return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next) {
  if (traced_task(prev)) {
    /* Still runnable when switched out: preempted, back in the run queue from now. */
    if (BPF_CORE_READ(prev, __state) == 0) {
      count(C_PREEMPTED);
      enqueue(prev);
    } else {
      count(C_VOLUNTARY);
    }
  }
  if (!traced_task(next)) return 0;
  u32 pid = BPF_CORE_READ(next, pid);
  u64 *since = bpf_map_lookup_elem(&enqueued, &pid);
  if (!since) return 0;
  u64 now = bpf_ktime_get_ns();
  if (now > *since) {
    record(HIST_RUNQ, now - *since);
    count(C_RUNQ_SAMPLES);
  }
  bpf_map_delete_elem(&enqueued, &pid);
  return 0;
}

static __always_inline bool port_set(u16 port) {
  u32 key = port;
  u8 *on = bpf_map_lookup_elem(&ports, &key);
  return on && *on;
}

static __always_inline bool traced_ports(u16 local, u16 remote) {
  if (!filter_ports) return true;
  return port_set(local) || port_set(remote);
}

static __always_inline u16 sk_local_port(const struct sock *sk) { return BPF_CORE_READ(sk, __sk_common.skc_num); }
static __always_inline u16 sk_remote_port(const struct sock *sk) {
  return bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
}
static __always_inline bool traced_sock(const struct sock *sk) {
  return traced_ports(sk_local_port(sk), sk_remote_port(sk));
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(on_retransmit, const struct sock *sk, const struct sk_buff *skb, int err) {
  /* Attempts that failed (the original still in the host's queue) sent nothing: not counted,
   * as the kernel's RetransSegs does not count them. */
  if (err != 0 || !traced_sock(sk)) return 0;
  count(C_RETRANSMITS);
  if (BPF_CORE_READ(sk, __sk_common.skc_state) == TCP_SYN_SENT) count(C_SYN_RETRANSMITS);
  u32 key = (u32)sk_local_port(sk) << 16 | sk_remote_port(sk);
  u64 *n = bpf_map_lookup_elem(&conn_retrans, &key);
  if (n) {
    __sync_fetch_and_add(n, 1);
  } else {
    u64 one = 1;
    if (bpf_map_update_elem(&conn_retrans, &key, &one, BPF_NOEXIST) != 0) count(C_TRACKED_FULL);
  }
  return 0;
}

SEC("tp_btf/tcp_retransmit_synack")
int BPF_PROG(on_retransmit_synack, const struct sock *sk) {
  if (traced_sock(sk)) count(C_SYNACK_RETRANSMITS);
  return 0;
}

SEC("kprobe/tcp_send_loss_probe")
int BPF_KPROBE(on_loss_probe, struct sock *sk) {
  if (traced_sock(sk)) count(C_LOSS_PROBES);
  return 0;
}

struct tcp_ports {
  u16 source;
  u16 dest;
  u8 flags;
  bool ok;
};

/* The TCP ports of a dropped packet, from its headers (a received packet has no socket yet). */
static __always_inline struct tcp_ports skb_tcp_ports(const struct sk_buff *skb) {
  struct tcp_ports out = {};
  unsigned char *head = BPF_CORE_READ(skb, head);
  u16 nh = BPF_CORE_READ(skb, network_header);
  u16 th = BPF_CORE_READ(skb, transport_header);
  u16 proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
  u8 l4 = 0;
  if (proto == 0x0800) {
    struct iphdr ip;
    if (bpf_probe_read_kernel(&ip, sizeof(ip), head + nh)) return out;
    l4 = ip.protocol;
    if (th == (u16)~0U || th <= nh) th = nh + ip.ihl * 4;
  } else if (proto == 0x86DD) {
    struct ipv6hdr ip6;
    if (bpf_probe_read_kernel(&ip6, sizeof(ip6), head + nh)) return out;
    l4 = ip6.nexthdr;
    if (th == (u16)~0U || th <= nh) th = nh + sizeof(ip6);
  }
  if (l4 != 6) return out;
  struct tcphdr tcp;
  if (bpf_probe_read_kernel(&tcp, sizeof(tcp), head + th)) return out;
  out.source = bpf_ntohs(tcp.source);
  out.dest = bpf_ntohs(tcp.dest);
  out.flags = ((u8 *)&tcp)[13];
  out.ok = true;
  return out;
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(on_drop, struct sk_buff *skb, void *location, enum skb_drop_reason reason) {
  if (reason == SKB_CONSUMED) return 0;
  struct tcp_ports p = skb_tcp_ports(skb);
  if (filter_ports && (!p.ok || !traced_ports(p.source, p.dest))) return 0;
  u32 r = reason < DROP_REASONS ? (u32)reason : DROP_REASONS - 1;
  u64 *c = bpf_map_lookup_elem(&drops, &r);
  if (c) *c += 1;
  count(C_DROPS);
  /* SYN without ACK: a connection attempt the kernel dropped. */
  if (p.ok && (p.flags & 0x12) == 0x02) count(C_SYN_DROPS);
  return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_state, const struct sock *sk, const int oldstate, const int newstate) {
  if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP || !traced_sock(sk)) return 0;
  u64 key = (u64)sk;
  u64 now = bpf_ktime_get_ns();
  if (newstate == TCP_SYN_SENT) {
    struct sk_times t = {.syn_sent = now};
    bpf_map_update_elem(&socks, &key, &t, BPF_ANY);
    return 0;
  }
  if (newstate == TCP_ESTABLISHED) {
    struct sk_times *t = bpf_map_lookup_elem(&socks, &key);
    if (oldstate == TCP_SYN_SENT && t) {
      record(HIST_CONNECT, now - t->syn_sent);
      count(C_CONNECTS_ACTIVE);
      t->established = now;
    } else {
      struct sk_times fresh = {.established = now};
      count(C_CONNECTS_PASSIVE);
      if (bpf_map_update_elem(&socks, &key, &fresh, BPF_ANY) != 0) count(C_TRACKED_FULL);
    }
    return 0;
  }
  if (newstate == TCP_CLOSE) {
    struct sk_times *t = bpf_map_lookup_elem(&socks, &key);
    if (!t) return 0;
    if (t->established) {
      record(HIST_LIFETIME, now - t->established);
      count(C_CLOSED);
    } else if (oldstate == TCP_SYN_SENT) {
      count(C_CONNECT_FAILED);
    }
    bpf_map_delete_elem(&socks, &key);
  }
  return 0;
}
