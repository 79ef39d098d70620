// A per-request hook for users who feed their own telemetry (ClientObservers::tracker,
// protocol::SessionOptions::tracker): told
// when an operation starts, at each attempt (the host, and whether it is a retry or a
// speculative execution), and when it ends (its latency, its error).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string_view>

namespace nosqlc {

// Called from any thread, on the thread running the operation, while it waits; keep it short
// and thread-safe. What a member throws is swallowed. `id` numbers the operations of one
// session from 1 and ties a start to its attempts and end.
class RequestTracker {
 public:
  enum class AttemptKind { first, retry, speculative };
  virtual ~RequestTracker() = default;
  // `statement`: the CQL text (a batch: its first statement's), valid during the call only.
  virtual void on_start(std::uint64_t id, std::string_view statement) {
    (void)id;
    (void)statement;
  }
  // `attempt` counts from 1 over every attempt of the operation.
  // `host`: "address:port".
  virtual void on_attempt(std::uint64_t id, std::string_view host, std::size_t attempt,
                          AttemptKind kind) {
    (void)id;
    (void)host;
    (void)attempt;
    (void)kind;
  }
  // `error`: null on success, else what the operation throws.
  virtual void on_end(std::uint64_t id, std::chrono::microseconds latency,
                      const std::exception_ptr& error) {
    (void)id;
    (void)latency;
    (void)error;
  }
};

}  // namespace nosqlc
