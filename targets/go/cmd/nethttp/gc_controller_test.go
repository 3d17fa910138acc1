package main

import (
	"bytes"
	"encoding/json"
	"math"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

const mib = 1 << 20

// feed gives the rule one sample a second: memory in MiB, GC cycles so far.
func feed(r *gcRule, t0 time.Time, sec int, memMiB, cycles uint64) (int, string) {
	return r.step(ctlSample{at: t0.Add(time.Duration(sec) * time.Second), memBytes: memMiB * mib, gcCycles: cycles})
}

func TestRuleRaisesAfterSustainedPressureAndRestoresAfterHold(t *testing.T) {
	r := newGCRule(100*mib, 100)
	t0 := time.Unix(1000, 0)
	// 90 % of the limit, 2 GCs a second (120/min): trips on the third tick in a row.
	for s := 0; s < 2; s++ {
		if g, _ := feed(r, t0, s, 90, uint64(2*s)); g != -1 {
			t.Fatalf("tick %d: changed GOGC to %d before the pressure lasted %d ticks", s, g, ctlStayTicks)
		}
	}
	g, why := feed(r, t0, 2, 90, 4)
	if g != 200 || !strings.Contains(why, "GOGC 100 -> 200") {
		t.Fatalf("expected a raise to 200, got %d (%q)", g, why)
	}
	// Pressure goes away; nothing changes until the hold has run out.
	for s := 3; s < 2+int(ctlHold/time.Second); s++ {
		if g, _ := feed(r, t0, s, 10, 4); g != -1 {
			t.Fatalf("tick %d: changed GOGC to %d inside the hold", s, g)
		}
	}
	g, why = feed(r, t0, 2+int(ctlHold/time.Second), 10, 4)
	if g != 100 || !strings.Contains(why, "GOGC 200 -> 100") {
		t.Fatalf("expected the restore to 100, got %d (%q)", g, why)
	}
	if r.raises != 1 || r.restores != 1 {
		t.Fatalf("raises %d restores %d, expected 1 and 1", r.raises, r.restores)
	}
}

func TestRuleIgnoresMemoryWithoutFrequentGCAndFrequentGCWithoutMemory(t *testing.T) {
	t0 := time.Unix(1000, 0)
	quiet := newGCRule(100*mib, 100) // 95 % of the limit, but 6 GCs a minute
	busy := newGCRule(100*mib, 100)  // 10 GCs a second, at 50 % of the limit
	for s := 0; s < 20; s++ {
		if g, _ := feed(quiet, t0, s, 95, uint64(s/10)); g != -1 {
			t.Fatalf("quiet GC, tick %d: changed GOGC to %d", s, g)
		}
		if g, _ := feed(busy, t0, s, 50, uint64(10*s)); g != -1 {
			t.Fatalf("low memory, tick %d: changed GOGC to %d", s, g)
		}
	}
}

func TestRuleNeverTripsWithoutAMemoryLimit(t *testing.T) {
	r := newGCRule(math.MaxInt64, 100)
	t0 := time.Unix(1000, 0)
	for s := 0; s < 10; s++ {
		if g, _ := feed(r, t0, s, 1<<30, uint64(100*s)); g != -1 {
			t.Fatalf("tick %d: changed GOGC to %d with no limit", s, g)
		}
	}
}

// The controller against the real runtime: a limit just above the live
// heap and a loop of allocations make it raise GOGC, log why, and report
// the raise in its stats JSON.
func TestControllerRaisesUnderRealPressure(t *testing.T) {
	oldLimit := debug.SetMemoryLimit(48 * mib)
	oldGC := debug.SetGCPercent(100)
	defer debug.SetMemoryLimit(oldLimit)
	defer debug.SetGCPercent(oldGC)
	live := make([][]byte, 0, 40)
	for i := 0; i < 40; i++ { // 40 MiB kept live: over 80 % of 48 MiB
		live = append(live, bytes.Repeat([]byte{1}, mib))
	}
	var log bytes.Buffer
	c := &gcController{rule: newGCRule(48*mib, 100), current: 100, log: &log}
	c.samples = newControllerSamples()
	t0 := time.Now()
	var sink []byte
	for s := 0; s < 2*ctlStayTicks && c.rule.raises == 0; s++ {
		for i := 0; i < 200; i++ { // churn: about 200 MiB a tick, GCs every few MiB
			sink = make([]byte, mib)
		}
		c.tick(t0.Add(time.Duration(s) * time.Second))
		t.Logf("tick %d: mem %d MiB, cycles %d, above %d, perMin %.0f", s, c.rule.history[len(c.rule.history)-1].memBytes/mib, c.rule.history[len(c.rule.history)-1].gcCycles, c.rule.above, c.rule.gcPerMinute())
	}
	_ = sink
	if c.rule.raises != 1 || c.current != 200 {
		t.Fatalf("no raise under pressure: raises %d, GOGC %d, log %q", c.rule.raises, c.current, log.String())
	}
	if !strings.Contains(log.String(), "gc-controller: memory") {
		t.Fatalf("decision not logged: %q", log.String())
	}
	var got map[string]any
	b, _ := json.Marshal(map[string]any{"gcController": c})
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if m := got["gcController"].(map[string]any); m["raises"] != 1.0 || m["gogc"] != 200.0 {
		t.Fatalf("stats JSON %s", b)
	}
	runtime.KeepAlive(live)
}
