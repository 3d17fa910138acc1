package control

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Stats is the JSON line answered to "stats" (docs/architecture.md).
// Counters are cumulative since process start; the runner takes deltas.
type Stats struct {
	Runtime      string            `json:"runtime"`
	GCCycles     uint64            `json:"gcCycles"`
	GCPauseNs    uint64            `json:"gcPauseNs"`
	AllocBytes   uint64            `json:"allocBytes"`
	AllocObjects uint64            `json:"allocObjects"`
	HeapBytes    uint64            `json:"heapBytes"`
	Requests     uint64            `json:"requests"`
	Versions     map[string]string `json:"versions"`
	Extra        map[string]any    `json:"extra"`
}

// The runtime/metrics names read for each stats line. runtime/metrics is
// used rather than runtime.ReadMemStats because ReadMemStats stops the
// world, which would perturb the very pauses being measured.
const (
	mGCCycles     = "/gc/cycles/total:gc-cycles"
	mGCPauses     = "/sched/pauses/total/gc:seconds"
	mGCPausesOld  = "/gc/pauses:seconds" // same data under its pre-1.22 name
	mAllocBytes   = "/gc/heap/allocs:bytes"
	mAllocObjects = "/gc/heap/allocs:objects"
	mHeapObjects  = "/memory/classes/heap/objects:bytes"
	mMapped       = "/memory/classes/total:bytes"
	mGoroutines   = "/sched/goroutines:goroutines"
	mGOMAXPROCS   = "/sched/gomaxprocs:threads"
)

// counted is the process-wide count of requests answered (HTTP mode) or
// bytes echoed (echo mode). It sits alone on its cache line so the event
// loops adding to it do not falsely share with other globals.
var counted struct {
	_ [64]byte
	n atomic.Uint64
	_ [56]byte
}

// Count adds n answered requests (HTTP) or echoed bytes (echo). Event-loop
// targets call it once per batch, not once per request, to keep the atomic
// off the per-request path.
func Count(n int) {
	if n > 0 {
		counted.n.Add(uint64(n))
	}
}

// sampler holds the metrics.Sample slice reused for every stats line.
type sampler struct {
	samples []metrics.Sample
	index   map[string]int
}

func newSampler() *sampler {
	pauses := mGCPauses
	if !metricExists(pauses) {
		pauses = mGCPausesOld
	}
	names := []string{mGCCycles, pauses, mAllocBytes, mAllocObjects, mHeapObjects, mMapped, mGoroutines, mGOMAXPROCS, mGCCPU}
	s := &sampler{samples: make([]metrics.Sample, len(names)), index: make(map[string]int, len(names))}
	for i, n := range names {
		s.samples[i].Name = n
		s.index[n] = i
	}
	s.index[mGCPauses] = s.index[pauses]
	return s
}

func metricExists(name string) bool {
	for _, d := range metrics.All() {
		if d.Name == name {
			return true
		}
	}
	return false
}

func (s *sampler) uint(name string) uint64 {
	v := s.samples[s.index[name]].Value
	if v.Kind() != metrics.KindUint64 {
		return 0
	}
	return v.Uint64()
}

// pauseNs totals the GC pause histogram. runtime/metrics only exposes the
// distribution, so each bucket's count is weighted by its midpoint (the
// finite edge for the open-ended first and last buckets). The buckets are
// narrow enough that the error is a few percent of the total.
func (s *sampler) pauseNs() uint64 {
	v := s.samples[s.index[mGCPauses]].Value
	if v.Kind() != metrics.KindFloat64Histogram {
		return 0
	}
	h := v.Float64Histogram()
	total := 0.0
	for i, c := range h.Counts {
		if c == 0 {
			continue
		}
		lo, hi := h.Buckets[i], h.Buckets[i+1]
		var mid float64
		switch {
		case math.IsInf(lo, -1):
			mid = hi
		case math.IsInf(hi, 1):
			mid = lo
		default:
			mid = (lo + hi) / 2
		}
		total += mid * float64(c)
	}
	return uint64(total * 1e9)
}

// read takes one snapshot. extra carries the target's fixed facts (mode,
// threads, variant flags) and is copied so the caller's map stays unshared.
func (s *sampler) read(versions map[string]string, extra map[string]any) Stats {
	metrics.Read(s.samples)
	x := make(map[string]any, len(extra)+6)
	for k, v := range extra {
		x[k] = v
	}
	x["goroutines"] = s.uint(mGoroutines)
	x["mappedBytes"] = s.uint(mMapped)
	x["gomaxprocs"] = s.uint(mGOMAXPROCS)
	// The GC's CPU time (mGCCPU, profile.go): the GC CPU share of issue 22's levels.
	if v := s.samples[s.index[mGCCPU]].Value; v.Kind() == metrics.KindFloat64 {
		x["gcCpuSeconds"] = v.Float64()
	}
	x["fdLimit"] = fdLimit()
	x["engineRestarts"] = restarts.Load()
	x["errEmfile"] = shed.Load()
	return Stats{
		Runtime:      "go",
		GCCycles:     s.uint(mGCCycles),
		GCPauseNs:    s.pauseNs(),
		AllocBytes:   s.uint(mAllocBytes),
		AllocObjects: s.uint(mAllocObjects),
		HeapBytes:    s.uint(mHeapObjects),
		Requests:     counted.n.Load(),
		Versions:     versions,
		Extra:        x,
	}
}

// libraries are the modules whose linked versions a result must record.
var libraries = []string{
	"github.com/panjf2000/gnet/v2",
	"github.com/tidwall/evio",
	"github.com/valyala/fasthttp",
}

// linkedVersions reports the Go toolchain and the versions of the server
// libraries actually linked into this binary (a replaced module reports
// its replacement's version).
func linkedVersions() map[string]string {
	v := map[string]string{"go": runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if bi.GoVersion != "" {
		v["go"] = bi.GoVersion
	}
	for _, dep := range bi.Deps {
		for _, lib := range libraries {
			if dep.Path != lib {
				continue
			}
			if dep.Replace != nil && dep.Replace.Version != "" {
				v[lib] = dep.Replace.Version
			} else {
				v[lib] = dep.Version
			}
		}
	}
	return v
}
