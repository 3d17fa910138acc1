package conformance

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCA is a throwaway CA and a leaf for 127.0.0.1 it signed, as the
// runner makes per run (src/tls/certs.ts), written as PEM files.
type testCA struct {
	pool              *x509.CertPool
	certFile, keyFile string
	otherPool         *x509.CertPool // a CA that did not sign the leaf
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func selfSignedCA(t *testing.T) (*x509.Certificate, *ecdsa.PrivateKey) {
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "conformance CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	return ca, key
}

func makeCA(t *testing.T) testCA {
	dir := t.TempDir()
	ca, caKey := selfSignedCA(t)
	other, _ := selfSignedCA(t)
	leafKey := newKey(t)
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}, DNSNames: []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, leaf, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(leafKey)
	c := testCA{pool: x509.NewCertPool(), otherPool: x509.NewCertPool(),
		certFile: filepath.Join(dir, "leaf.crt"), keyFile: filepath.Join(dir, "leaf.key")}
	c.pool.AddCert(ca)
	c.otherPool.AddCert(other)
	os.WriteFile(c.certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(c.keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)
	return c
}

// tlsDial speaks HTTP/1.1 over TLS, checking the certificate and that the
// server chose http/1.1 by ALPN.
func (c testCA) tlsDial(addr string) (net.Conn, error) {
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: c.pool, NextProtos: []string{"http/1.1"}})
	if err == nil && conn.ConnectionState().NegotiatedProtocol != "http/1.1" {
		conn.Close()
		return nil, io.ErrUnexpectedEOF
	}
	return conn, err
}

// tlsTargets are the Go targets that speak TLS, and whether they offer h2.
var tlsTargets = []struct {
	name string
	h2   bool
}{{"nethttp", true}, {"fasthttp", false}}

func TestTLSTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the TLS targets")
	}
	dir, ca := t.TempDir(), makeCA(t)
	for _, tg := range tlsTargets {
		t.Run(tg.name, func(t *testing.T) {
			bin := build(t, dir, tg.name)
			p := start(t, bin, "--tls-cert", ca.certFile, "--tls-key", ca.keyFile)
			checkHTTP(t, p.addr, ca.tlsDial)
			hostileTLS(t, p.addr, ca)
			if tg.h2 {
				checkH2(t, h2Client(&http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.pool}}, true), "https://"+p.addr)
			} else {
				checkNoH2(t, p.addr, ca)
			}
			checkResumption(t, p.addr, ca)
			m := p.stats(t)
			extra, _ := m["extra"].(map[string]any)
			if extra["tls"] != true {
				t.Fatalf("stats extra.tls = %v, want true", extra["tls"])
			}
			// Resumption was asked once: the server must have counted it apart.
			if hs, _ := extra["tlsHandshakes"].(map[string]any); hs["resumed"] != 1.0 || hs["full"].(float64) < 3 {
				t.Fatalf("stats extra.tlsHandshakes = %v, want 1 resumed and the others full", extra["tlsHandshakes"])
			}
			// 27 answers of checkHTTP, 1 of hostileTLS, 2 of checkResumption, 6 of checkH2 (none of checkNoH2's: its connection fails).
			want := 30.0
			if tg.h2 {
				want += 6
			}
			if n, _ := m["requests"].(float64); n != want {
				t.Fatalf("requests counted %v, want %v", m["requests"], want)
			}
			p.stop(t)
		})
	}
}

func TestH2C(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs nethttp")
	}
	p := start(t, build(t, t.TempDir(), "nethttp"), "--h2c")
	checkH2(t, h2Client(&http.Transport{}, false), "http://"+p.addr)
	// The same port still speaks HTTP/1.1.
	checkHTTP(t, p.addr, tcpDial)
	p.stop(t)
}

// TestProtocolRefused: a protocol the target does not speak is one line on
// stderr and exit 2, before anything is bound.
func TestProtocolRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every target")
	}
	dir, ca := t.TempDir(), makeCA(t)
	tlsFlags := []string{"--tls-cert", ca.certFile, "--tls-key", ca.keyFile}
	cases := map[string][][]string{
		"gnet": {tlsFlags, {"--h2c"}}, "evio": {tlsFlags, {"--h2c"}}, "stdreader": {tlsFlags, {"--h2c"}},
		"fasthttp": {{"--h2c"}, {"--tls-cert", ca.certFile}},
		"nethttp":  {append([]string{"--h2c"}, tlsFlags...), append([]string{"--mode", "echo"}, tlsFlags...), {"--tls-cert", ca.keyFile, "--tls-key", ca.keyFile}},
	}
	for name, argSets := range cases {
		bin := build(t, dir, name)
		for _, args := range argSets {
			cmd := exec.Command(bin, append([]string{"--port", "0"}, args...)...)
			var stderr, stdout bytes.Buffer
			cmd.Stderr, cmd.Stdout = &stderr, &stdout
			err := cmd.Run()
			lines := strings.Count(strings.TrimSpace(stderr.String()), "\n") + 1
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || stderr.Len() == 0 || lines != 1 || stdout.Len() != 0 {
				t.Fatalf("%s %v: %v, stderr %q, stdout %q; want exit 2, one line, no READY", name, args, err, stderr.String(), stdout.String())
			}
		}
	}
}

// checkResumption: a second connection with the first one's session ticket
// resumes (2 answers, 1 full and 1 resumed handshake).
func checkResumption(t *testing.T, addr string, ca testCA) {
	t.Helper()
	cfg := &tls.Config{RootCAs: ca.pool, NextProtos: []string{"http/1.1"}, ClientSessionCache: tls.NewLRUClientSessionCache(1)}
	for i, wantResumed := range []bool{false, true} {
		conn, err := tls.Dial("tcp", addr, cfg)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		// Reading the answer also reads the TLS 1.3 ticket sent after the handshake.
		io.WriteString(conn, getPlain)
		expect(t, bufio.NewReader(conn), 200, text, hello, false)
		if got := conn.ConnectionState().DidResume; got != wantResumed {
			t.Fatalf("connection %d: resumed = %v, want %v", i, got, wantResumed)
		}
		conn.Close()
	}
}

func h2Client(tr *http.Transport, overTLS bool) *http.Client {
	tr.Protocols = new(http.Protocols)
	if overTLS {
		tr.Protocols.SetHTTP2(true)
	} else {
		tr.Protocols.SetUnencryptedHTTP2(true)
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// checkH2 asks the contract's questions over HTTP/2: 6 answers.
func checkH2(t *testing.T, client *http.Client, base string) {
	t.Helper()
	defer client.CloseIdleConnections()
	body := bytes.Repeat([]byte("evbench!"), 128<<10/8)
	cases := []struct {
		method, path string
		body         []byte
		status       int
		ctype, want  string
	}{
		{"GET", "/plaintext", nil, 200, text, hello},
		{"HEAD", "/plaintext", nil, 200, text, ""},
		{"GET", "/nope?x=1", nil, 404, text, "Not Found"},
		{"GET", "/echo", nil, 404, text, "Not Found"},
		{"POST", "/echo", []byte("abcdefg"), 200, octet, "abcdefg"},
		{"POST", "/echo", body, 200, octet, string(body)},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, base+c.path, bytes.NewReader(c.body))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("h2 %s %s: %v", c.method, c.path, err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		h := resp.Header
		wantLen := len(c.want)
		if c.method == "HEAD" {
			wantLen = len(hello)
		}
		switch {
		case resp.ProtoMajor != 2:
			t.Fatalf("%s %s answered over %s, want HTTP/2", c.method, c.path, resp.Proto)
		case resp.StatusCode != c.status || h.Get("Content-Type") != c.ctype || resp.ContentLength != int64(wantLen):
			t.Fatalf("h2 %s %s: %d %q length %d", c.method, c.path, resp.StatusCode, h.Get("Content-Type"), resp.ContentLength)
		case h.Get("Server") != "evbench" || !strings.HasSuffix(h.Get("Date"), " GMT"):
			t.Fatalf("h2 %s %s: Server %q Date %q", c.method, c.path, h.Get("Server"), h.Get("Date"))
		case string(got) != c.want:
			t.Fatalf("h2 %s %s: body %q", c.method, c.path, truncate(got))
		}
	}
}

// checkNoH2: a client that offers only h2 gets no h2 from an HTTP/1.1-only
// TLS target (no ALPN agreement: the server may refuse or pick nothing).
func checkNoH2(t *testing.T, addr string, ca testCA) {
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: ca.pool, NextProtos: []string{"h2"}})
	if err == nil {
		defer conn.Close()
		if p := conn.ConnectionState().NegotiatedProtocol; p == "h2" {
			t.Fatalf("an HTTP/1.1-only target agreed to ALPN %q", p)
		}
	}
}

// hostileTLS: plain HTTP to the TLS port, a client that does not trust the
// certificate, a peer that sends garbage for a ClientHello: each fails on its
// own connection, and the server still answers a good client (1 answer).
func hostileTLS(t *testing.T, addr string, ca testCA) {
	t.Helper()
	c, br := dial(t, addr, tcpDial)
	io.WriteString(c, getPlain)
	if resp, err := http.ReadResponse(br, nil); err == nil && resp.StatusCode == 200 {
		t.Fatal("a plain HTTP request to the TLS port was answered 200")
	}
	c.Close()
	if conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: ca.otherPool}); err == nil {
		conn.Close()
		t.Fatal("a client with another CA accepted the target's certificate")
	}
	g, _ := dial(t, addr, tcpDial)
	g.Write(bytes.Repeat([]byte{0x16, 0x03, 0x01, 0xff, 0xff}, 100))
	g.Close()
	c2, br2 := dial(t, addr, ca.tlsDial)
	defer c2.Close()
	io.WriteString(c2, getPlain)
	expect(t, br2, 200, text, hello, false)
}
