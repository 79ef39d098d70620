// A scripted CQL peer for the client's tests: a real loopback TCP (optionally TLS) server on
// an ephemeral port, running on the test's io_context. It decodes every request frame with the
// codec (lz4 bodies once negotiated) and answers by a script: expectations consumed in order,
// then per-opcode handlers, then default answers. A handler may answer at once, later, on
// another stream, hold the request to answer it after others, never answer, or close the
// socket. Everything runs on the io_context's one thread.
#pragma once

#include <nosqlc/protocol/client/options.hpp>
#include <nosqlc/protocol/client_errors.hpp>
#include <nosqlc/protocol/messages.hpp>

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace nosqlc::test {

namespace proto = nosqlc::protocol;
using namespace std::chrono_literals;

// One request frame as the peer decoded it, with owned copies of the parts tests look at.
struct Seen {
  std::size_t connection = 0;  // which accepted connection (0-based, over the peer's life)
  std::size_t read = 0;        // which read on that connection completed the frame
  proto::Opcode opcode = proto::Opcode::options;
  std::int16_t stream = 0;
  bool compressed = false;  // header flag 0x01
  std::string text;         // QUERY and PREPARE
  proto::StringMap startup;
  proto::Bytes id;  // EXECUTE
  std::optional<proto::Bytes> paging_state;
  std::optional<std::int32_t> page_size;
  bool skip_metadata = false;
  std::vector<std::optional<proto::Bytes>> values;
  proto::Consistency consistency = proto::Consistency::any;  // QUERY, EXECUTE, BATCH
  std::optional<proto::Consistency> serial_consistency;
  std::optional<std::int64_t> timestamp;
  proto::Bytes token;  // AUTH_RESPONSE
  // BATCH: the type, and each statement's prepared id (or query text) and values.
  proto::BatchType batch_type = proto::BatchType::logged;
  std::vector<proto::Bytes> batch_ids;
  std::vector<std::vector<std::optional<proto::Bytes>>> batch_values;
};

// One accepted connection, as a handler sees it.
class PeerConnection {
 public:
  virtual ~PeerConnection() = default;
  // Encodes `r` now (lz4 when negotiated) and writes it on `stream`.
  virtual void reply(std::int16_t stream, const proto::Response& r) = 0;
  // Encodes `r` now and writes it after `delay`, unless the connection closed meanwhile.
  virtual void reply_after(std::chrono::milliseconds delay, std::int16_t stream,
                           const proto::Response& r) = 0;
  // Writes bytes as they are (a frame the codec would not make).
  virtual void send_raw(proto::Bytes bytes) = 0;
  // Closes the socket at once (no TLS close_notify).
  virtual void close() = 0;
  virtual bool is_open() const = 0;
  // lz4 was negotiated: later answers are compressed.
  virtual bool compressing() const = 0;
  virtual void set_compressing(bool on) = 0;
};
using PeerConnectionPtr = std::shared_ptr<PeerConnection>;

using Handler = std::function<void(const PeerConnectionPtr&, const Seen&)>;

// Whether this build has TLS (NOSQLC_WITH_TLS): without it a ScriptedPeer given PeerTls throws
// std::logic_error, and the client refuses TLS options.
#if NOSQLC_WITH_TLS
inline constexpr bool kBuiltWithTls = true;
#else
inline constexpr bool kBuiltWithTls = false;
#endif

struct PeerTls {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;  // when set, clients must present a certificate it signed
};

class ScriptedPeer {
 public:
  // Listens on `address` with an ephemeral port.
  explicit ScriptedPeer(asio::io_context& io, std::string address = "127.0.0.1",
                        std::optional<PeerTls> tls = std::nullopt);
  ~ScriptedPeer();
  ScriptedPeer(const ScriptedPeer&) = delete;
  ScriptedPeer& operator=(const ScriptedPeer&) = delete;

  proto::Endpoint endpoint() const;

  // What OPTIONS is answered with by default; lz4 is offered when it lists COMPRESSION lz4.
  void set_supported(proto::StringMultimap options);
  // Answers requests of `op` with `h` instead of the default answer.
  void on(proto::Opcode op, Handler h);
  // Expectations come before handlers, in order; a request of another opcode while some are
  // left is a script violation (see violations()). An empty handler gives the default answer.
  void expect(proto::Opcode op, Handler h = {});
  // Reads but never answers anything (a listener that accepts and hangs).
  void set_silent(bool silent);
  // The default answer: OPTIONS -> SUPPORTED; STARTUP -> READY (lz4 from then on when asked);
  // QUERY -> Set_keyspace naming the query text (so a test can tell answers apart);
  // PREPARE -> Prepared, id = the query text; EXECUTE, BATCH -> Void; REGISTER -> READY;
  // AUTH_RESPONSE -> AUTH_SUCCESS.
  void answer_default(const PeerConnectionPtr& c, const Seen& s);

  // Closes the listener and every connection, then listens again on the same port after
  // `down` (at once when zero).
  void restart(std::chrono::milliseconds down = 0ms);
  // Closes the listener and every connection. Idempotent; the destructor calls it.
  void stop();

  const std::vector<Seen>& seen() const;
  std::size_t count(proto::Opcode op) const;
  std::size_t accepted() const;
  // System-table reads (a session's discovery), answered by default and not in seen() unless
  // script_system_reads(true) hands them to the script like any request.
  std::size_t system_reads() const;
  void script_system_reads(bool on);
  // Accepted connections the peer still has open.
  std::size_t open_connections() const;
  // How many frames each read completed, over every connection, in order.
  const std::vector<std::size_t>& frames_per_read() const;
  // The flags byte of every frame the peer sent (after encoding).
  const std::vector<std::uint8_t>& sent_flags() const;
  const std::vector<std::string>& violations() const;

  struct Core;

 private:
  static void answer_default_impl(Core& core, const PeerConnectionPtr& c, const Seen& s);
  std::shared_ptr<Core> core_;
};

// ---- Test helpers ----

// Runs `body` on `io` until it completes, or fails the test after `limit`. Rethrows what
// the body threw. Then gives leftover work (closing sockets) a bounded moment to finish.
void run(asio::io_context& io, std::function<asio::awaitable<void>()> body,
         std::chrono::milliseconds limit = 20s);

// Resumes after `d`.
asio::awaitable<void> sleep(std::chrono::milliseconds d);
// Polls `cond` every few milliseconds; true once it holds, false when `limit` passed first.
asio::awaitable<bool> eventually(std::function<bool()> cond, std::chrono::milliseconds limit = 5s);

// How an operation failed: nullopt when it did not.
struct Failure {
  std::error_code code;
  std::string what;
};
template <class T>
asio::awaitable<std::optional<Failure>> failure_of(asio::awaitable<T> op) {
  try {
    co_await std::move(op);
  } catch (const proto::ClientError& e) {
    co_return Failure{e.code(), e.what()};
  }
  co_return std::nullopt;
}

// An operation started in the background, and how it ended.
template <class T>
struct Outcome {
  bool done = false;
  std::optional<T> value;
  std::optional<Failure> failure;
};
template <class T>
std::shared_ptr<Outcome<T>> start(const asio::any_io_executor& ex, asio::awaitable<T> op) {
  auto out = std::make_shared<Outcome<T>>();
  asio::co_spawn(ex, std::move(op), [out](std::exception_ptr e, T value) {
    out->done = true;
    if (!e) {
      out->value = std::move(value);
      return;
    }
    try {
      std::rethrow_exception(e);
    } catch (const std::system_error& x) {
      out->failure = Failure{x.code(), x.what()};
    } catch (const std::exception& x) {
      out->failure = Failure{{}, x.what()};
    }
  });
  return out;
}

// The keyspace named by a Set_keyspace result (what the default QUERY answer echoes).
std::string keyspace_of(const proto::Response& r);

// A directory with ca.pem, server.pem/key, client.pem/key and rogue.pem/key, made once per
// process by tests/support/make-certs.sh; empty when openssl is missing.
const std::string& cert_dir();

}  // namespace nosqlc::test
