// A small real service to benchmark with evbench: a JSON handler that allocates, net/http/pprof
// on the same listener, and Prometheus metrics through the real client library. Nothing in it
// knows about evbench: the harness reads its stderr (GODEBUG=gctrace=1), /metrics and /debug/pprof.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

type item struct {
	ID    int      `json:"id"`
	Name  string   `json:"name"`
	Tags  []string `json:"tags"`
	Price float64  `json:"price"`
}

var served = prometheus.NewCounter(prometheus.CounterOpts{
	Name: "jsonapi_requests_total",
	Help: "Requests answered by /api/items.",
})

// items builds a fresh page of items per request: the allocations are the point.
func items(n int) []item {
	out := make([]item, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, item{ID: i, Name: "item-" + strconv.Itoa(i), Tags: []string{"a", "b"}, Price: float64(i) * 1.25})
	}
	scratch = make([][]byte, extraAllocs) // see alloc.go
	for i := range scratch {
		scratch[i] = make([]byte, 1024)
	}
	return out
}

var scratch [][]byte

func handleItems(w http.ResponseWriter, r *http.Request) {
	served.Inc()
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(items(8)); err != nil {
		log.Printf("encode: %v", err)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (port 0: chosen by the system)")
	flag.Parse()
	if p := os.Getenv("PORT"); p != "" {
		*addr = "127.0.0.1:" + p
	}
	prometheus.MustRegister(served)
	http.HandleFunc("/api/items", handleItems)
	http.Handle("/metrics", promhttp.Handler())
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen %s: %v", *addr, err)
	}
	log.Printf("listening on %s", ln.Addr())
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		<-stop
		ln.Close()
	}()
	if err := http.Serve(ln, nil); err != nil && !isClosed(err) {
		log.Fatal(err)
	}
}

func isClosed(err error) bool { return err != nil && errorsIsClosed(err) }
