// evb-kernel probes [--pids 1,2] [--ports 80,81] [--wait]
// evb-kernel drop --dev veth0 --share 0.02 [--netns name] [--seed n]
// evb-kernel check         (loads and attaches the probes, then detaches: can BPF run here?)
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader.h"

static int usage(void) {
  fprintf(stderr,
          "usage: evb-kernel probes [--pids 1,2] [--ports 80,81] [--wait] | drop --dev D --share F [--netns N] [--seed "
          "S] | check\n");
  return 2;
}

bool parse_numbers(const char *text, const char *flag, struct number_list *list) {
  list->n = 0;
  const char *p = text;
  while (*p) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(p, &end, 10);
    if (end == p || errno || (*end && *end != ',') || list->n == LIST_MAX) {
      fprintf(stderr, "evb-kernel: %s takes up to %d comma-separated numbers, got \"%s\"\n", flag, LIST_MAX, text);
      return false;
    }
    list->values[list->n++] = v;
    p = *end ? end + 1 : end;
  }
  return true;
}

bool read_command(char *buf, size_t len) {
  if (!fgets(buf, (int)len, stdin)) return false;
  buf[strcspn(buf, "\r\n")] = 0;
  return true;
}

static int print_warnings(enum libbpf_print_level level, const char *fmt, va_list args) {
  if (level != LIBBPF_WARN) return 0;
  return vfprintf(stderr, fmt, args);
}

void set_libbpf_quiet(void) { libbpf_set_print(print_warnings); }

static int main_probes(int argc, char **argv) {
  struct number_list pids = {0}, ports = {0};
  bool wait = false;
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--wait") == 0) {
      wait = true;
      continue;
    }
    if (i + 1 < argc && strcmp(argv[i], "--pids") == 0) {
      if (!parse_numbers(argv[++i], "--pids", &pids)) return 2;
    } else if (i + 1 < argc && strcmp(argv[i], "--ports") == 0) {
      if (!parse_numbers(argv[++i], "--ports", &ports)) return 2;
    } else {
      return usage();
    }
  }
  return run_probes(&pids, &ports, wait);
}

static int main_drop(int argc, char **argv) {
  const char *dev = NULL, *netns = NULL;
  double share = -1;
  unsigned long seed = 0;
  bool seeded = false;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--dev") == 0)
      dev = argv[i + 1];
    else if (strcmp(argv[i], "--netns") == 0)
      netns = argv[i + 1];
    else if (strcmp(argv[i], "--share") == 0)
      share = strtod(argv[i + 1], NULL);
    else if (strcmp(argv[i], "--seed") == 0) {
      seed = strtoul(argv[i + 1], NULL, 10);
      seeded = true;
    } else
      return usage();
  }
  if (argc % 2 != 0 || !dev || !(share >= 0 && share <= 1)) {
    fprintf(stderr, "evb-kernel: drop needs --dev and --share between 0 and 1\n");
    return 2;
  }
  return run_dropper(netns, dev, share, seed, seeded);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  set_libbpf_quiet();
  if (argc < 2) return usage();
  if (strcmp(argv[1], "probes") == 0) return main_probes(argc, argv);
  if (strcmp(argv[1], "drop") == 0) return main_drop(argc, argv);
  if (strcmp(argv[1], "check") == 0 && argc == 2) return run_check();
  return usage();
}
