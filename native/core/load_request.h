// The bytes a connection sends: one request built once from the template, repeated so that a
// pipelined batch of k requests is the first k * size() bytes of one contiguous buffer and
// goes out in a single write, with no per-request copy or allocation.
#pragma once
#include <cstddef>
#include <string>

#include "load_options.h"

namespace evb {

// One HTTP request (or, in echo mode, one message of body_bytes) as sent on the wire.
std::string load_request_build(const LoadOptions& o);

class RequestBatch {
 public:
  RequestBatch(std::string one, int depth);
  const char* data() const { return bytes_.data(); }
  size_t size() const { return one_; }  // bytes of one request
  size_t bytes(int k) const { return one_ * static_cast<size_t>(k); }

 private:
  std::string bytes_;
  size_t one_;
};

}  // namespace evb
