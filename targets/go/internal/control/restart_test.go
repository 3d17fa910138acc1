package control

import (
	"errors"
	"testing"
	"time"
)

func TestKeepServingExitsWhenTheEngineNeverStarted(t *testing.T) {
	exited := make(chan int, 1)
	c := newChannel("test", &lockedBuffer{}, func(code int) { exited <- code }, nil)
	calls := 0
	c.KeepServing(func() error { calls++; return errors.New("bind: address already in use") })
	if code := <-exited; code != 1 || calls != 1 {
		t.Fatalf("exit %d after %d calls; want exit 1 after one call", code, calls)
	}
}

func TestKeepServingRestartsAnEngineThatStoppedAfterReady(t *testing.T) {
	c := newChannel("test", &lockedBuffer{}, func(int) { t.Error("exited") }, nil)
	c.Ready(1234)
	before := restarts.Load()
	third := make(chan struct{})
	calls := 0
	go c.KeepServing(func() error {
		calls++
		if calls == 3 {
			close(third)
			select {} // the third engine keeps serving
		}
		return errors.New("accept: too many open files")
	})
	select {
	case <-third:
	case <-time.After(5 * time.Second):
		t.Fatal("the engine was not started a third time within 5 s")
	}
	if got := restarts.Load() - before; got != 2 {
		t.Fatalf("restarts counted %d, want 2", got)
	}
}
