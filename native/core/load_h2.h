// HTTP/2 for the load client (nghttp2): one client session per connection, in memory (nghttp2
// neither reads nor writes a socket: the backend moves its bytes, in the clear or through TLS).
// Each request is a stream; a stream slot is like a pipeline slot of HTTP/1.1: its intended
// start time is kept by LoadThread, its answer reported through H2Events. Built only with
// nghttp2 (EVB_HAVE_NGHTTP2); without it h2_unavailable() says why and nothing here runs.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace evb {

// What a session tells its connection as input is processed.
class H2Events {
 public:
  virtual ~H2Events() = default;
  // The stream of `slot` ended: an answer (status, body bytes) when error_code == 0 and
  // status != 0, else reset (error_code: RST_STREAM's, or REFUSED_STREAM after GOAWAY).
  virtual void h2_stream_done(uint32_t slot, int status, uint64_t body_bytes, uint32_t error_code) = 0;
  virtual void h2_goaway() = 0;  // the server sent GOAWAY: no new stream on this connection
};

struct H2Request {
  std::string method, scheme, authority, path;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
};

// "" when this build speaks HTTP/2, else why not.
std::string h2_unavailable();
std::string h2_library_version();  // "" without nghttp2

class H2Session {
 public:
  // window: the stream and connection receive windows asked of the server (0: nghttp2's);
  // slots: the streams in flight at most (slot numbers are 0 .. slots-1).
  H2Session(const H2Request* req, uint32_t window, uint32_t slots, H2Events* events);
  ~H2Session();
  H2Session(const H2Session&) = delete;
  H2Session& operator=(const H2Session&) = delete;
  bool ok() const { return session_ != nullptr; }

  // Opens a stream for the request; false when the session refuses one (after GOAWAY).
  bool submit(uint32_t slot);
  // Input from the server; false on a protocol error (the connection is then broken).
  bool receive(const char* p, size_t n);
  // Appends what the session has to send; returns the bytes appended.
  size_t drain(std::string* out);
  // The session is over (GOAWAY received and every stream ended, or a fatal error).
  bool finished() const;

 private:
  // Per slot, while its stream is open: what the answer said so far (nghttp2's stream user
  // data points here, so nothing is allocated per request).
  struct Stream {
    uint32_t slot = 0;
    int status = 0;
    uint64_t body = 0;
  };
  void* session_ = nullptr;  // nghttp2_session
  std::vector<Stream> streams_;
  const H2Request* req_;
  H2Events* events_;
  friend struct H2Callbacks;
};

}  // namespace evb
