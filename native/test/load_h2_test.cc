// The load client's HTTP/2 session (load_h2.h) against an nghttp2 server session in the same
// process, bytes moved by hand: answers reported per slot with status and body length, a reset
// stream with its error code, a GOAWAY, and the request's pseudo-headers as sent.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "load_h2.h"

#if EVB_HAVE_NGHTTP2
#include <nghttp2/nghttp2.h>

namespace evb {
namespace {

struct Done {
  uint32_t slot;
  int status;
  uint64_t body;
  uint32_t error;
};

struct Recorder : H2Events {
  std::vector<Done> done;
  int goaways = 0;
  void h2_stream_done(uint32_t slot, int status, uint64_t body, uint32_t error) override {
    done.push_back({slot, status, body, error});
  }
  void h2_goaway() override { ++goaways; }
};

// A server that answers "Hello, World!" to every request, or resets it (reset = true), and
// records the :authority and :path it was asked.
struct Server {
  nghttp2_session* s = nullptr;
  bool reset = false;
  std::string authority, path;

  static ssize_t body(nghttp2_session*, int32_t, uint8_t* buf, size_t len, uint32_t* flags, nghttp2_data_source*,
                      void*) {
    const std::string text = "Hello, World!";
    size_t n = text.size() < len ? text.size() : len;
    text.copy(reinterpret_cast<char*>(buf), n);
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
  static int on_header(nghttp2_session*, const nghttp2_frame*, const uint8_t* name, size_t namelen,
                       const uint8_t* value, size_t valuelen, uint8_t, void* user) {
    auto* self = static_cast<Server*>(user);
    std::string n(reinterpret_cast<const char*>(name), namelen), v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":authority") self->authority = v;
    if (n == ":path") self->path = v;
    return 0;
  }
  static int on_frame(nghttp2_session* s, const nghttp2_frame* f, void* user) {
    auto* self = static_cast<Server*>(user);
    if (f->hd.type != NGHTTP2_HEADERS || !(f->hd.flags & NGHTTP2_FLAG_END_STREAM)) return 0;
    if (self->reset) return nghttp2_submit_rst_stream(s, NGHTTP2_FLAG_NONE, f->hd.stream_id, NGHTTP2_INTERNAL_ERROR);
    nghttp2_nv status = {(uint8_t*)":status", (uint8_t*)"200", 7, 3, NGHTTP2_NV_FLAG_NONE};
    nghttp2_data_provider prd{};
    prd.read_callback = &Server::body;
    return nghttp2_submit_response(s, f->hd.stream_id, &status, 1, &prd);
  }
  Server() {
    nghttp2_session_callbacks* cb = nullptr;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_header_callback(cb, &Server::on_header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, &Server::on_frame);
    nghttp2_session_server_new(&s, cb, this);
    nghttp2_session_callbacks_del(cb);
    nghttp2_submit_settings(s, NGHTTP2_FLAG_NONE, nullptr, 0);
  }
  ~Server() { nghttp2_session_del(s); }
};

// Moves bytes both ways until neither side has more to say.
void exchange(H2Session& client, Server& server) {
  for (int round = 0; round < 20; ++round) {
    std::string up;
    client.drain(&up);
    if (!up.empty()) {
      ASSERT_EQ(nghttp2_session_mem_recv(server.s, reinterpret_cast<const uint8_t*>(up.data()), up.size()),
                (ssize_t)up.size());
    }
    std::string down;
    const uint8_t* data = nullptr;
    for (ssize_t n; (n = nghttp2_session_mem_send(server.s, &data)) > 0;)
      down.append(reinterpret_cast<const char*>(data), n);
    if (!down.empty()) {
      ASSERT_TRUE(client.receive(down.data(), down.size()));
    }
    if (up.empty() && down.empty()) return;
  }
}

H2Request request() {
  H2Request r;
  r.method = "GET";
  r.scheme = "http";
  r.authority = "127.0.0.1:8080";
  r.path = "/plaintext";
  r.headers = {{"accept", "text/plain"}};
  return r;
}

TEST(H2Session, AnswersEveryStreamOfItsSlot) {
  H2Request req = request();
  Recorder events;
  H2Session client(&req, 0, 8, &events);
  ASSERT_TRUE(client.ok());
  Server server;
  for (uint32_t slot = 0; slot < 8; ++slot) ASSERT_TRUE(client.submit(slot));
  exchange(client, server);
  ASSERT_EQ(events.done.size(), 8u);
  std::vector<bool> seen(8, false);
  for (const Done& d : events.done) {
    EXPECT_EQ(d.status, 200);
    EXPECT_EQ(d.body, 13u);
    EXPECT_EQ(d.error, 0u);
    ASSERT_LT(d.slot, 8u);
    seen[d.slot] = true;
  }
  for (bool s : seen) EXPECT_TRUE(s);
  EXPECT_EQ(server.authority, "127.0.0.1:8080");
  EXPECT_EQ(server.path, "/plaintext");
}

TEST(H2Session, AResetStreamEndsWithItsErrorCode) {
  H2Request req = request();
  Recorder events;
  H2Session client(&req, 0, 2, &events);
  Server server;
  server.reset = true;
  ASSERT_TRUE(client.submit(1));
  exchange(client, server);
  ASSERT_EQ(events.done.size(), 1u);
  EXPECT_EQ(events.done[0].slot, 1u);
  EXPECT_EQ(events.done[0].error, static_cast<uint32_t>(NGHTTP2_INTERNAL_ERROR));
}

TEST(H2Session, AGoawayIsReportedAndEndsTheSession) {
  H2Request req = request();
  Recorder events;
  H2Session client(&req, 1 << 20, 2, &events);
  Server server;
  exchange(client, server);
  nghttp2_submit_goaway(server.s, NGHTTP2_FLAG_NONE, 0, NGHTTP2_NO_ERROR, nullptr, 0);
  exchange(client, server);
  EXPECT_EQ(events.goaways, 1);
  // A stream asked for after it is never sent: it ends unanswered, with an error code (the load
  // thread does not even ask: it stops opening streams on the GOAWAY).
  client.submit(0);
  exchange(client, server);
  ASSERT_EQ(events.done.size(), 1u);
  EXPECT_NE(events.done[0].error, 0u);
  EXPECT_EQ(events.done[0].status, 0);
  EXPECT_TRUE(client.finished());
}

}  // namespace
}  // namespace evb

#else

TEST(H2Session, SaysWhyItIsUnavailable) { EXPECT_NE(evb::h2_unavailable().find("nghttp2"), std::string::npos); }

#endif
