// When a connection's requests are due in open loop: evenly spaced (constant), or with
// exponential gaps of the same mean (poisson: each connection an independent Poisson process,
// so their sum is one of the total rate). The PRNG is splitmix64, seeded per connection from
// the run's seed and the connection's id, so a run's schedule is reproducible.
#pragma once
#include <cmath>
#include <cstdint>

namespace evb {

inline uint64_t splitmix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

inline uint64_t arrival_seed(uint64_t run_seed, uint32_t conn_id) {
  uint64_t s = run_seed ^ (0xd1b54a32d192ed03ull * (static_cast<uint64_t>(conn_id) + 1));
  splitmix64(&s);
  return s;
}

// The gap to the next request: mean_ns exactly (constant) or exponential with that mean.
inline uint64_t arrival_gap(bool poisson, uint64_t mean_ns, uint64_t* state) {
  if (!poisson) return mean_ns;
  // u in (0, 1]: 53 random bits, never 0, so the log is finite.
  double u = static_cast<double>((splitmix64(state) >> 11) + 1) * (1.0 / 9007199254740992.0);
  return static_cast<uint64_t>(-std::log(u) * static_cast<double>(mean_ns) + 0.5);
}

}  // namespace evb
