/* evb-kernel: the loader of evbench's BPF programs. Each mode attaches its programs, prints
 * one line `{"ready":true}` on stdout, and on stdin EOF (or the line `stop`) detaches and prints
 * one JSON document; a failure is one line on stderr and exit 1. */
#ifndef EVB_LOADER_H
#define EVB_LOADER_H
#include <stdbool.h>
#include <stddef.h>

#define LIST_MAX 256

struct number_list {
  unsigned long values[LIST_MAX];
  size_t n;
};

/* Parses "1,2,3" into list; false with a message on stderr when it is not that. */
bool parse_numbers(const char *text, const char *flag, struct number_list *list);
/* Reads one command line from stdin into buf; false on EOF. */
bool read_command(char *buf, size_t len);
void set_libbpf_quiet(void);

/* wait: load, print {"loaded":true}, attach on the line `start [pids]`. */
int run_probes(const struct number_list *pids, const struct number_list *ports, bool wait);
int run_check(void);
int run_dropper(const char *netns, const char *dev, double share, unsigned long seed, bool seeded);
#endif
