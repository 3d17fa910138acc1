package httpframe

import "strconv"

// The literals every target answers with; nethttp and fasthttp use them too
// so no target can drift from the others.
const (
	ServerName    = "evbench"
	PlaintextBody = "Hello, World!"
	NotFoundBody  = "Not Found"
)

// The contract's answers, identical on every target. Fixed parts are
// precomputed so an answer is a few appends into the caller's buffer.
const (
	serverLine = "Server: " + ServerName + "\r\n"

	plaintextHead = "HTTP/1.1 200 OK\r\n" + serverLine
	plaintextTail = "Content-Type: text/plain\r\nContent-Length: 13\r\n"
	echoHead      = "HTTP/1.1 200 OK\r\n" + serverLine
	echoTail      = "Content-Type: application/octet-stream\r\nContent-Length: "
	notFoundHead  = "HTTP/1.1 404 Not Found\r\n" + serverLine
	notFoundTail  = "Content-Type: text/plain\r\nContent-Length: 9\r\n"

	closeLine     = "Connection: close\r\n"
	keepAliveLine = "Connection: keep-alive\r\n"
)

// Route names the contract's answers.
type Route int

const (
	RouteNotFound Route = iota
	RoutePlaintext
	RouteEcho
)

// RouteOf picks the answer for a method and path (the path already cut
// before any '?'). It takes bytes (the framers) or strings (net/http)
// without converting, so routing allocates nothing on either side. HEAD
// routes as GET; its answer is the head alone (IsHead, AppendHeadOnly).
func RouteOf[T []byte | string](method, path T) Route {
	switch {
	case (string(method) == "GET" || string(method) == "HEAD") && string(path) == "/plaintext":
		return RoutePlaintext
	case string(method) == "POST" && string(path) == "/echo":
		return RouteEcho
	}
	return RouteNotFound
}

// IsHead tells a HEAD request, answered like GET without the body.
func IsHead[T []byte | string](method T) bool { return string(method) == "HEAD" }

// AppendResponse appends the full answer to req to dst.
func AppendResponse(dst []byte, req *Request) []byte {
	route := RouteOf(req.Method, req.Path())
	if IsHead(req.Method) {
		return AppendHeadOnly(dst, route, req.Close(), req.KeepAlive10())
	}
	return AppendAnswer(dst, route, req.Body, req.Close(), req.KeepAlive10())
}

// AppendHeadOnly appends the answer to a HEAD request: the status line and
// headers GET would get, Content-Length included, and no body.
func AppendHeadOnly(dst []byte, route Route, close, keepAlive10 bool) []byte {
	dst = AppendAnswer(dst, route, nil, close, keepAlive10)
	switch route {
	case RoutePlaintext:
		return dst[:len(dst)-len(PlaintextBody)]
	case RouteNotFound:
		return dst[:len(dst)-len(NotFoundBody)]
	}
	return dst // an empty echo: there is no body to drop
}

// AppendAnswer appends the answer for route. body is echoed for RouteEcho
// and ignored otherwise. close adds "Connection: close"; keepAlive10 adds
// "Connection: keep-alive" for an HTTP/1.0 client that asked to keep it.
func AppendAnswer(dst []byte, route Route, body []byte, close, keepAlive10 bool) []byte {
	switch route {
	case RoutePlaintext:
		dst = append(dst, plaintextHead...)
		dst = append(dst, dateHeader()...)
		dst = append(dst, plaintextTail...)
		dst = appendConnection(dst, close, keepAlive10)
		return append(dst, PlaintextBody...)
	case RouteEcho:
		dst = AppendEchoHead(dst, len(body), close, keepAlive10)
		return append(dst, body...)
	default:
		dst = append(dst, notFoundHead...)
		dst = append(dst, dateHeader()...)
		dst = append(dst, notFoundTail...)
		dst = appendConnection(dst, close, keepAlive10)
		return append(dst, NotFoundBody...)
	}
}

// AppendEchoHead appends the status line and headers of an echo answer
// whose body (n bytes) the caller writes itself, as stdreader does to
// stream a large body without copying it into the header buffer.
func AppendEchoHead(dst []byte, n int, close, keepAlive10 bool) []byte {
	dst = append(dst, echoHead...)
	dst = append(dst, dateHeader()...)
	dst = append(dst, echoTail...)
	dst = strconv.AppendInt(dst, int64(n), 10)
	dst = append(dst, "\r\n"...)
	return appendConnection(dst, close, keepAlive10)
}

func appendConnection(dst []byte, close, keepAlive10 bool) []byte {
	switch {
	case close:
		dst = append(dst, closeLine...)
	case keepAlive10:
		dst = append(dst, keepAliveLine...)
	}
	return append(dst, "\r\n"...)
}

// AppendError appends the answer to a request that could not be framed; the
// connection is always closed after it.
func AppendError(dst []byte, e *Error) []byte {
	reason := statusText(e.Status)
	dst = append(dst, "HTTP/1.1 "...)
	dst = strconv.AppendInt(dst, int64(e.Status), 10)
	dst = append(dst, ' ')
	dst = append(dst, reason...)
	dst = append(dst, "\r\n"+serverLine...)
	dst = append(dst, dateHeader()...)
	dst = append(dst, "Content-Type: text/plain\r\nContent-Length: "...)
	dst = strconv.AppendInt(dst, int64(len(reason)), 10)
	dst = append(dst, "\r\n"+closeLine+"\r\n"...)
	return append(dst, reason...)
}

func statusText(status int) string {
	switch status {
	case 413:
		return "Content Too Large"
	case 431:
		return "Request Header Fields Too Large"
	default:
		return "Bad Request"
	}
}
