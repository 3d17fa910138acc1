package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// The handbook's dynamic GC rule (section 2.2): when the Go heap stays
// above 80 % of GOMEMLIMIT and the GC runs more than 15 times a minute,
// raise GOGC for a while; afterwards, put it back. The memory counted is
// what GOMEMLIMIT limits: everything the runtime maps, less what it has
// returned to the OS.
const (
	ctlTick        = time.Second
	ctlHeapShare   = 0.80
	ctlMaxPerMin   = 15.0
	ctlStayTicks   = 3                // "stays above": this many ticks in a row
	ctlRateWindow  = 10 * time.Second // GC rate measured over this much history
	ctlHold        = 30 * time.Second // "for a while"
	ctlRaiseFactor = 2                // raised GOGC = base x 2 ...
	ctlRaiseMin    = 200              // ... and at least this
)

const (
	mTotalMapped = "/memory/classes/total:bytes"
	mReleased    = "/memory/classes/heap/released:bytes"
	mCycles      = "/gc/cycles/total:gc-cycles"
)

// ctlSample is one tick's reading of the runtime.
type ctlSample struct {
	at       time.Time
	memBytes uint64 // mapped - released: what GOMEMLIMIT limits
	gcCycles uint64
}

// gcRule decides; it holds no clock and reads no runtime, so a test
// drives it with made-up samples.
type gcRule struct {
	limit    int64 // GOMEMLIMIT in bytes; math.MaxInt64: none set
	base     int   // GOGC at start
	raised   int
	history  []ctlSample // the last ctlRateWindow of samples
	above    int         // consecutive ticks above the heap share
	until    time.Time   // raised until then; zero: not raised
	raises   uint64
	restores uint64
}

func newGCRule(limit int64, base int) *gcRule {
	return &gcRule{limit: limit, base: base, raised: max(base*ctlRaiseFactor, ctlRaiseMin)}
}

// step takes a sample; it returns the GOGC to set and why, or -1 for no change.
func (r *gcRule) step(s ctlSample) (int, string) {
	r.history = append(r.history, s)
	for len(r.history) > 1 && s.at.Sub(r.history[0].at) > ctlRateWindow {
		r.history = r.history[1:]
	}
	if r.limit <= 0 || r.limit == math.MaxInt64 || r.base < 0 {
		return -1, "" // no memory limit (or GC off): the rule cannot trip
	}
	share := float64(s.memBytes) / float64(r.limit)
	if share > ctlHeapShare {
		r.above++
	} else {
		r.above = 0
	}
	perMin := r.gcPerMinute()
	trips := r.above >= ctlStayTicks && perMin > ctlMaxPerMin
	switch {
	case trips && r.until.IsZero():
		r.until = s.at.Add(ctlHold)
		r.raises++
		return r.raised, fmt.Sprintf("memory %.0f %% of GOMEMLIMIT for %d s and %.0f GC/min > %.0f: GOGC %d -> %d for %s",
			share*100, r.above, perMin, ctlMaxPerMin, r.base, r.raised, ctlHold)
	case trips:
		r.until = s.at.Add(ctlHold) // still under pressure: keep it raised
	case !r.until.IsZero() && !s.at.Before(r.until):
		r.until = time.Time{}
		r.restores++
		return r.base, fmt.Sprintf("pressure gone for %s (memory %.0f %% of GOMEMLIMIT, %.0f GC/min): GOGC %d -> %d",
			ctlHold, share*100, perMin, r.raised, r.base)
	}
	return -1, ""
}

func (r *gcRule) gcPerMinute() float64 {
	first, last := r.history[0], r.history[len(r.history)-1]
	span := last.at.Sub(first.at)
	if span <= 0 {
		return 0
	}
	return float64(last.gcCycles-first.gcCycles) / span.Minutes()
}

// gcController runs the rule once a tick and reports its decisions on the
// control channel: it sits in the stats line's "extra" and marshals its
// live counters each time.
type gcController struct {
	mu      sync.Mutex
	rule    *gcRule
	current int
	samples []metrics.Sample
	log     io.Writer
}

func startGCController(log io.Writer) *gcController {
	base := debug.SetGCPercent(100)
	debug.SetGCPercent(base) // read without changing: SetGCPercent returns the old value
	c := &gcController{
		rule:    newGCRule(debug.SetMemoryLimit(-1), base),
		current: base,
		samples: newControllerSamples(),
		log:     log,
	}
	if c.rule.limit == math.MaxInt64 {
		fmt.Fprintf(log, "%s: gc-controller: no GOMEMLIMIT set: the rule (memory > 80 %% of it) cannot trip\n", name)
	}
	go func() {
		for range time.Tick(ctlTick) {
			c.tick(time.Now())
		}
	}()
	return c
}

func newControllerSamples() []metrics.Sample {
	return []metrics.Sample{{Name: mTotalMapped}, {Name: mReleased}, {Name: mCycles}}
}

func (c *gcController) tick(now time.Time) {
	metrics.Read(c.samples)
	s := ctlSample{at: now, memBytes: c.samples[0].Value.Uint64() - c.samples[1].Value.Uint64(), gcCycles: c.samples[2].Value.Uint64()}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gogc, why := c.rule.step(s); gogc >= 0 {
		debug.SetGCPercent(gogc)
		c.current = gogc
		fmt.Fprintf(c.log, "%s: gc-controller: %s\n", name, why)
	}
}

// MarshalJSON reports the decisions so far: cumulative, like every counter
// of the control channel, so the runner can take deltas.
func (c *gcController) MarshalJSON() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	limit := c.rule.limit
	if limit == math.MaxInt64 {
		limit = -1
	}
	var mem, perMin float64
	if n := len(c.rule.history); n > 0 {
		mem, perMin = float64(c.rule.history[n-1].memBytes), c.rule.gcPerMinute()
	}
	return json.Marshal(map[string]any{
		"raises": c.rule.raises, "restores": c.rule.restores, "gogc": c.current,
		"baseGogc": c.rule.base, "raisedGogc": c.rule.raised, "memLimitBytes": limit,
		"lastMemBytes": mem, "lastGcPerMin": math.Round(perMin),
	})
}
