#include "load_h2.h"

#if EVB_HAVE_NGHTTP2
#include <nghttp2/nghttp2.h>

#include <cstring>

namespace evb {

std::string h2_unavailable() { return ""; }
std::string h2_library_version() { return std::string("nghttp2 ") + nghttp2_version(0)->version_str; }

struct H2Callbacks {
  static H2Session* self(void* user) { return static_cast<H2Session*>(user); }

  static int on_header(nghttp2_session* s, const nghttp2_frame* f, const uint8_t* name, size_t namelen,
                       const uint8_t* value, size_t valuelen, uint8_t, void*) {
    if (f->hd.type != NGHTTP2_HEADERS || namelen != 7 || std::memcmp(name, ":status", 7) != 0) return 0;
    auto* st = static_cast<H2Session::Stream*>(nghttp2_session_get_stream_user_data(s, f->hd.stream_id));
    if (st == nullptr) return 0;
    int code = 0;
    for (size_t i = 0; i < valuelen && value[i] >= '0' && value[i] <= '9'; ++i) code = code * 10 + (value[i] - '0');
    if (code >= 200 || st->status == 0) st->status = code;  // a 1xx is followed by the real answer
    return 0;
  }

  static int on_data(nghttp2_session* s, uint8_t, int32_t stream_id, const uint8_t*, size_t len, void*) {
    auto* st = static_cast<H2Session::Stream*>(nghttp2_session_get_stream_user_data(s, stream_id));
    if (st != nullptr) st->body += len;
    return 0;
  }

  static int on_close(nghttp2_session* s, int32_t stream_id, uint32_t error_code, void* user) {
    auto* st = static_cast<H2Session::Stream*>(nghttp2_session_get_stream_user_data(s, stream_id));
    if (st == nullptr) return 0;
    nghttp2_session_set_stream_user_data(s, stream_id, nullptr);
    H2Session::Stream done = *st;
    self(user)->events_->h2_stream_done(done.slot, done.status, done.body, error_code);
    return 0;
  }

  static int on_frame(nghttp2_session*, const nghttp2_frame* f, void* user) {
    if (f->hd.type == NGHTTP2_GOAWAY) self(user)->events_->h2_goaway();
    return 0;
  }
};

H2Session::H2Session(const H2Request* req, uint32_t window, uint32_t slots, H2Events* events)
    : streams_(slots), req_(req), events_(events) {
  nghttp2_session_callbacks* cb = nullptr;
  if (nghttp2_session_callbacks_new(&cb) != 0) return;
  nghttp2_session_callbacks_set_on_header_callback(cb, &H2Callbacks::on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, &H2Callbacks::on_data);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, &H2Callbacks::on_close);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, &H2Callbacks::on_frame);
  nghttp2_session* s = nullptr;
  int r = nghttp2_session_client_new(&s, cb, this);
  nghttp2_session_callbacks_del(cb);
  if (r != 0) return;
  session_ = s;
  nghttp2_settings_entry settings[2] = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
                                        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, window}};
  nghttp2_submit_settings(s, NGHTTP2_FLAG_NONE, settings, window != 0 ? 2 : 1);
  if (window != 0) nghttp2_session_set_local_window_size(s, NGHTTP2_FLAG_NONE, 0, static_cast<int32_t>(window));
}

// Streams still open are the connection's to count (it loses them when it closes).
H2Session::~H2Session() {
  if (session_ != nullptr) nghttp2_session_del(static_cast<nghttp2_session*>(session_));
}

namespace {
nghttp2_nv nv(const std::string& name, const std::string& value) {
  return {reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE};
}
const std::string kMethod = ":method", kScheme = ":scheme", kAuthority = ":authority", kPath = ":path";
}  // namespace

bool H2Session::submit(uint32_t slot) {
  auto* s = static_cast<nghttp2_session*>(session_);
  nghttp2_nv nva[4 + 32];
  size_t n = 0;
  nva[n++] = nv(kMethod, req_->method);
  nva[n++] = nv(kScheme, req_->scheme);
  nva[n++] = nv(kAuthority, req_->authority);
  nva[n++] = nv(kPath, req_->path);
  for (const auto& h : req_->headers)
    if (n < sizeof nva / sizeof nva[0]) nva[n++] = nv(h.first, h.second);
  if (slot >= streams_.size()) return false;
  Stream* st = &streams_[slot];
  *st = Stream{slot, 0, 0};
  return nghttp2_submit_request(s, nullptr, nva, n, nullptr, st) > 0;
}

bool H2Session::receive(const char* p, size_t n) {
  auto* s = static_cast<nghttp2_session*>(session_);
  return nghttp2_session_mem_recv(s, reinterpret_cast<const uint8_t*>(p), n) == static_cast<ssize_t>(n);
}

size_t H2Session::drain(std::string* out) {
  auto* s = static_cast<nghttp2_session*>(session_);
  size_t total = 0;
  for (;;) {
    const uint8_t* data = nullptr;
    ssize_t n = nghttp2_session_mem_send(s, &data);
    if (n <= 0) break;
    out->append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    total += static_cast<size_t>(n);
  }
  return total;
}

bool H2Session::finished() const {
  auto* s = static_cast<nghttp2_session*>(session_);
  return nghttp2_session_want_read(s) == 0 && nghttp2_session_want_write(s) == 0;
}

}  // namespace evb

#else  // built without nghttp2: LoadOptions.h2 is refused before a run (h2_unavailable)

namespace evb {
std::string h2_unavailable() {
  return "unavailable: built without nghttp2 (apt-get install libnghttp2-dev, then npm run build:addon)";
}
std::string h2_library_version() { return ""; }
// Never reached: a run with h2 is refused first.
H2Session::H2Session(const H2Request* req, uint32_t, uint32_t, H2Events* events) : req_(req), events_(events) {}
H2Session::~H2Session() {}
bool H2Session::submit(uint32_t) { return false; }
bool H2Session::receive(const char*, size_t) { return false; }
size_t H2Session::drain(std::string*) { return 0; }
bool H2Session::finished() const { return true; }
}  // namespace evb

#endif
