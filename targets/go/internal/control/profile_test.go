package control

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestProfileStartStop takes a real profile through the channel: both
// commands answer one JSON line and the three files are written.
func TestProfileStartStop(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "nethttp-default-rep0")
	out := &lockedBuffer{}
	exited := make(chan int, 1)
	c := newChannel("test", out, func(code int) { exited <- code }, nil)
	r, w, _ := os.Pipe()
	go c.serve(r)
	w.WriteString("profile-stop\nprofile-start " + prefix + "\n")
	deadline := time.Now().Add(300 * time.Millisecond)
	var sink []byte
	for time.Now().Before(deadline) {
		sink = make([]byte, 1<<16) // work for the profile and the GC to see
	}
	_ = sink
	w.WriteString("profile-stop\n")
	w.Close()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("EOF on stdin did not exit")
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"error"`) || !strings.Contains(lines[1], `"started"`) {
		t.Fatalf("answers: %q", out.String())
	}
	var files ProfileFiles
	if err := json.Unmarshal([]byte(lines[2]), &files); err != nil || files.CPU == "" {
		t.Fatalf("profile-stop answer %q: %v", lines[2], err)
	}
	for _, f := range []string{files.CPU, files.Heap, files.HeapBase, files.GC} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s: missing or empty (%v)", f, err)
		}
	}
	if files.GCSummary.Cycles == 0 || files.GCSummary.WindowS <= 0 {
		t.Errorf("GC summary over an allocating window: %+v", files.GCSummary)
	}
}
