package control

import (
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
)

// The protocol names of src/model/enums.ts PROTOCOLS, what a target speaks
// in HTTP mode (docs/architecture.md "Target process").
const (
	ProtoH1    = "h1"     // HTTP/1.1 over TCP
	ProtoH1TLS = "h1-tls" // HTTP/1.1 over TLS (ALPN http/1.1)
	ProtoH2TLS = "h2-tls" // HTTP/2 over TLS (ALPN h2)
	ProtoH2C   = "h2c"    // HTTP/2 over TCP, prior knowledge
)

// TLSOptions are the contract's protocol flags: --tls-cert and --tls-key
// together turn TLS on, --h2c serves cleartext HTTP/2 beside HTTP/1.1.
type TLSOptions struct {
	CertFile string
	KeyFile  string
	H2C      bool
	cert     tls.Certificate
	counts   *handshakeCounts // shared by copies of the options
}

// handshakeCounts are the server's completed TLS handshakes, full and
// resumed (session tickets), so a run can tell from the server's side
// whether resumption happened; it marshals its live values into each stats
// line's "extra".
type handshakeCounts struct {
	full, resumed atomic.Uint64
}

func (h *handshakeCounts) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]uint64{"full": h.full.Load(), "resumed": h.resumed.Load()})
}

func (t *TLSOptions) register(fs *flag.FlagSet) {
	t.counts = new(handshakeCounts)
	fs.StringVar(&t.CertFile, "tls-cert", "", "PEM certificate (chain): serve TLS (with --tls-key)")
	fs.StringVar(&t.KeyFile, "tls-key", "", "PEM private key of --tls-cert")
	fs.BoolVar(&t.H2C, "h2c", false, "serve HTTP/2 without TLS (prior knowledge) beside HTTP/1.1")
}

// On says whether TLS was asked for.
func (t *TLSOptions) On() bool { return t.CertFile != "" }

// check refuses what the target cannot speak and loads the key pair, so a
// bad certificate is bad input (exit 2) before anything is bound.
func (t *TLSOptions) check(mode string, protocols []string) error {
	speaks := strings.Join(protocols, ", ")
	if (t.CertFile == "") != (t.KeyFile == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together: name both PEM files")
	}
	if t.On() && !slices.Contains(protocols, ProtoH1TLS) {
		return fmt.Errorf("--tls-cert: this target does not speak TLS (it speaks %s)", speaks)
	}
	if t.H2C && !slices.Contains(protocols, ProtoH2C) {
		return fmt.Errorf("--h2c: this target does not speak cleartext HTTP/2 (it speaks %s)", speaks)
	}
	if t.H2C && t.On() {
		return fmt.Errorf("--h2c is HTTP/2 without TLS: with --tls-cert, HTTP/2 is offered over ALPN; drop one of them")
	}
	if (t.On() || t.H2C) && mode != "http" {
		return fmt.Errorf("--tls-cert and --h2c apply to --mode http only")
	}
	if !t.On() {
		return nil
	}
	cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
	if err != nil {
		return fmt.Errorf("--tls-cert %s --tls-key %s: %v", t.CertFile, t.KeyFile, err)
	}
	t.cert = cert
	return nil
}

// Config is the server's TLS configuration offering alpn in order
// (e.g. "h2", "http/1.1"): TLS 1.2 and 1.3, Go's default suites and
// session tickets (resumption), as a Go service would run.
func (t *TLSOptions) Config(alpn ...string) *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{t.cert},
		NextProtos:   alpn,
		MinVersion:   tls.VersionTLS12,
		// Called once per completed handshake, resumed ones included (no
		// client certificates are asked for, so it only counts).
		VerifyConnection: func(cs tls.ConnectionState) error {
			if cs.DidResume {
				t.counts.resumed.Add(1)
			} else {
				t.counts.full.Add(1)
			}
			return nil
		},
	}
}

// Facts are the protocol facts every stats line carries under "extra".
func (t *TLSOptions) Facts(alpn ...string) map[string]any {
	if !t.On() {
		return map[string]any{"tls": false, "h2c": t.H2C}
	}
	return map[string]any{"tls": true, "alpn": alpn, "h2c": false, "tlsHandshakes": t.counts}
}
