// One client connection's protocol state, sans-io: request frames in, response frames out.
// Implements the handshake as Cassandra 4 does (OPTIONS, STARTUP, SASL PLAIN for the
// PasswordAuthenticator, lz4), REGISTER, and hands statements to the node's Executor. The
// network server and the fuzz target both drive it.
#pragma once

#include "nosqlc/protocol/frame.hpp"
#include "nosqlc/protocol/messages.hpp"
#include "nosqlc/sandbox/executor.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nosqlc::sandbox {

struct Credentials {
  std::string username;
  std::string password;
};

// What a node's connections share.
struct NodeContext {
  Executor* executor = nullptr;
  std::vector<Credentials> users;                         // PasswordAuthenticator when not empty
  std::size_t max_frame = std::size_t{16} * 1024 * 1024;  // Cassandra 4's default, 16 MiB
};

// Not thread-safe: one per connection.
class ConnectionHandler {
 public:
  // `client`: the peer's address, for system_traces (empty when unknown).
  explicit ConnectionHandler(const NodeContext& node, protocol::Inet client = {}) : node_(node) {
    client_.client = std::move(client);
  }

  struct Outcome {
    bool close = false;  // close the connection once `out` is written
    // A schema change the request made, for the server to announce.
    std::optional<protocol::SchemaChange> schema_change;
    // A change of the cluster (sandbox.nodes) to make before `out` is sent.
    std::optional<ControlAction> control;
  };

  // Handles the frame at the front of `frame` (as protocol::split_frame found it) and appends
  // the answer to `out`. Never throws but std::bad_alloc.
  Outcome handle(const protocol::FrameSlice& frame, protocol::Bytes& out);
  // The answer to a frame whose header split_frame rejected with `status` (an unsupported
  // version or a frame too large): a ProtocolError as Cassandra sends it. Close afterwards.
  void reject(const protocol::FrameHeader& header, const protocol::Status& status,
              protocol::Bytes& out) const;
  // Appends `event` on stream -1 when this connection registered for its kind; false when not.
  bool event(const protocol::Event& event, protocol::Bytes& out) const;
  // Appends an ERROR answer on `stream` (fault injection).
  void error(std::int16_t stream, const protocol::ServerError& e, protocol::Bytes& out) const;

  bool ready() const noexcept { return state_ == State::ready; }
  bool compressed() const noexcept { return compress_; }

 private:
  enum class State { initial, authenticating, ready };
  void answer(std::int16_t stream, const protocol::Response& r, protocol::Bytes& out,
              const std::vector<std::string>& warnings = {},
              const std::optional<protocol::Uuid>& tracing_id = std::nullopt) const;
  // `trace`: the frame's tracing flag.
  Outcome request(std::int16_t stream, protocol::Request& req, protocol::Bytes& out, bool trace);

  const NodeContext& node_;
  State state_ = State::initial;
  bool compress_ = false;
  std::set<std::string> events_;  // "TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"
  ClientState client_;
};

}  // namespace nosqlc::sandbox
