// Command fasthttp is the fasthttp target: the goroutine-per-connection
// server people reach for instead of an event loop, answering the same
// bytes as every other target. It has no raw echo mode.
package main

import (
	"crypto/tls"
	"fmt"
	"log"
	"maps"
	"os"

	"github.com/valyala/fasthttp"

	"evbench/targets/internal/control"
	"evbench/targets/internal/httpframe"
)

const name = "fasthttp"

var (
	plaintextBody = []byte(httpframe.PlaintextBody)
	notFoundBody  = []byte(httpframe.NotFoundBody)
)

func main() {
	// fasthttp serves HTTP only; raw TCP echo would not involve it at all.
	// TLS with HTTP/1.1 only: fasthttp has no HTTP/2 of its own.
	protocols := []string{control.ProtoH1, control.ProtoH1TLS}
	opts := control.ParseFor(name, os.Args[1:], []string{"http"}, protocols, nil)
	extra := map[string]any{"mode": opts.Mode, "threads": opts.Threads}
	maps.Copy(extra, opts.TLS.Facts("http/1.1"))
	ch := control.Start(name, extra)

	ln, port := opts.Listen(name)
	srv := &fasthttp.Server{
		Handler: handle,
		Name:    httpframe.ServerName,
		// Content-Type is always set by the handler; fasthttp's default
		// would add "; charset=utf-8" where it is not.
		NoDefaultContentType: true,
		// Headers must fit the read buffer, so this is the shared 8 KiB
		// header limit (fasthttp's default is 4 KiB).
		ReadBufferSize:     httpframe.MaxHeaderBytes,
		MaxRequestBodySize: httpframe.MaxBodyBytes,
		Logger:             log.New(os.Stderr, name+": ", 0),
	}
	if opts.TLS.On() {
		// The same listener wrapped by crypto/tls, as fasthttp's ServeTLS does,
		// with the ALPN the contract names (fasthttp's own offers none).
		ln = tls.NewListener(ln, opts.TLS.Config("http/1.1"))
	}
	ch.Ready(port)
	err := srv.Serve(ln)
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	os.Exit(1)
}

// handle answers the contract. fasthttp writes Server, Date and
// Content-Length itself and honours "Connection: close" on its own.
func handle(ctx *fasthttp.RequestCtx) {
	switch httpframe.RouteOf(ctx.Method(), ctx.Path()) {
	case httpframe.RoutePlaintext:
		ctx.Response.Header.SetContentType("text/plain")
		ctx.Response.SetBodyRaw(plaintextBody)
	case httpframe.RouteEcho:
		ctx.Response.Header.SetContentType("application/octet-stream")
		// PostBody is fasthttp's buffer for this request (a chunked body
		// already decoded). SetBody copies it into the pooled response
		// buffer, as a fasthttp user would, so no aliasing between the
		// request and response buffers has to be reasoned about.
		ctx.Response.SetBody(ctx.PostBody())
	default:
		ctx.SetStatusCode(fasthttp.StatusNotFound)
		ctx.Response.Header.SetContentType("text/plain")
		ctx.Response.SetBodyRaw(notFoundBody)
	}
	control.Count(1)
}
