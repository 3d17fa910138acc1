package control

import (
	"encoding/json"
	"errors"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// profiler takes the profiles of one measurement window (docs/architecture.md,
// "profile-start <prefix>" / "profile-stop"): a CPU profile over the window,
// the allocation/heap profile at its end, and the GC over the window.
type profiler struct {
	prefix  string
	cpuFile *os.File
	gcStart gcPoint
	started time.Time
}

// gcPoint is what runtime/metrics says about the GC at one instant.
type gcPoint struct {
	cycles     uint64
	pauseNs    uint64
	allocBytes uint64
	gcCPUs     float64
}

// GCSummary is the GC over the window, written as <prefix>.gc.json.
type GCSummary struct {
	WindowS      float64 `json:"windowS"`
	Cycles       uint64  `json:"cycles"`
	PauseTotalNs uint64  `json:"pauseTotalNs"`
	AllocBytes   uint64  `json:"allocBytes"`
	// GCCPUSeconds is the CPU time the GC used (its workers and assists),
	// an estimate the runtime keeps (/cpu/classes/gc/total:cpu-seconds).
	GCCPUSeconds float64 `json:"gcCpuSeconds"`
	GOGC         string  `json:"gogc"`
	GOMAXPROCS   int     `json:"gomaxprocs"`
}

// ProfileFiles answers profile-stop: where each profile was written.
type ProfileFiles struct {
	CPU  string `json:"cpu"`
	Heap string `json:"heap"`
	// HeapBase is the allocs profile at the window's start: Heap minus
	// HeapBase is what was allocated over the window.
	HeapBase  string    `json:"heapBase"`
	GC        string    `json:"gc"`
	GCSummary GCSummary `json:"gcSummary"`
}

const mGCCPU = "/cpu/classes/gc/total:cpu-seconds"

func readGC(s *sampler) gcPoint {
	metrics.Read(s.samples)
	p := gcPoint{cycles: s.uint(mGCCycles), pauseNs: s.pauseNs(), allocBytes: s.uint(mAllocBytes)}
	cpu := []metrics.Sample{{Name: mGCCPU}}
	metrics.Read(cpu)
	if cpu[0].Value.Kind() == metrics.KindFloat64 {
		p.gcCPUs = cpu[0].Value.Float64()
	}
	return p
}

// startProfile begins the CPU profile into <prefix>.cpu.pprof.
func startProfile(prefix string, s *sampler) (*profiler, error) {
	if prefix == "" {
		return nil, errors.New("profile-start needs a path prefix")
	}
	// No GC first here: that would put a collection into the window. The
	// profile is then as of the last GC cycle, a few ms old at these rates.
	if err := writeAllocs(prefix+".heap-start.pprof", false); err != nil {
		return nil, err
	}
	f, err := os.Create(prefix + ".cpu.pprof")
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return &profiler{prefix: prefix, cpuFile: f, gcStart: readGC(s), started: time.Now()}, nil
}

// stop ends the CPU profile, then writes the heap profile and the GC
// summary. The GC's numbers are read before anything else, so the work
// of writing the profiles stays out of them.
func (p *profiler) stop(s *sampler) (ProfileFiles, error) {
	end := readGC(s)
	window := time.Since(p.started).Seconds()
	pprof.StopCPUProfile()
	if err := p.cpuFile.Close(); err != nil {
		return ProfileFiles{}, err
	}
	files := ProfileFiles{CPU: p.prefix + ".cpu.pprof", Heap: p.prefix + ".heap.pprof", HeapBase: p.prefix + ".heap-start.pprof", GC: p.prefix + ".gc.json"}
	files.GCSummary = GCSummary{
		WindowS:      window,
		Cycles:       end.cycles - p.gcStart.cycles,
		PauseTotalNs: end.pauseNs - p.gcStart.pauseNs,
		AllocBytes:   end.allocBytes - p.gcStart.allocBytes,
		GCCPUSeconds: end.gcCPUs - p.gcStart.gcCPUs,
		GOGC:         os.Getenv("GOGC"),
		GOMAXPROCS:   runtime.GOMAXPROCS(0),
	}
	if err := writeAllocs(files.Heap, true); err != nil {
		return files, err
	}
	gc, _ := json.MarshalIndent(files.GCSummary, "", "  ")
	return files, os.WriteFile(files.GC, append(gc, '\n'), 0o644)
}

// writeAllocs writes the allocs profile (in-use and allocated space and
// objects in one file). With gc, a GC first makes the figures current; at
// the window's end it has closed, so that disturbs nothing measured.
func writeAllocs(path string, gc bool) error {
	if gc {
		runtime.GC()
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
