/* Log-linear buckets shared by the BPF programs and the loader: values below 32 exactly, then
 * 16 buckets per power of two (a bucket is at most 1/16 = 6.25 % wide relative to its value),
 * so a nanosecond histogram up to 2^63 fits in HIST_BUCKETS counters. */
#ifndef EVB_HIST_H
#define EVB_HIST_H

#define HIST_EXACT 32
#define HIST_SUB_BITS 4
#define HIST_SUB (1 << HIST_SUB_BITS)
#define HIST_BUCKETS 1024

enum evb_hist { HIST_RUNQ = 0, HIST_CONNECT = 1, HIST_LIFETIME = 2, HIST_COUNT = 3 };

enum evb_counter {
  C_RUNQ_SAMPLES = 0,
  C_PREEMPTED,
  C_VOLUNTARY,
  C_RETRANSMITS,
  C_SYN_RETRANSMITS,
  C_SYNACK_RETRANSMITS,
  C_LOSS_PROBES,
  C_DROPS,
  C_SYN_DROPS,
  C_CONNECTS_ACTIVE,
  C_CONNECTS_PASSIVE,
  C_CONNECT_FAILED,
  C_CLOSED,
  C_TRACKED_FULL,
  C_COUNT
};

#define DROP_REASONS 256
#define MAX_TGIDS 256
#define TGID_SLOTS 4096
#define MAX_PORTS 64
#define MAX_CONNS 4096
#endif
