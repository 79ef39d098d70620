// libFuzzer target: the sandbox server's request handling, frames in, frames out, as one client
// connection sees it. Each input gets a fresh node (Store, Cluster, Executor,
// ConnectionHandler), so an input is a whole session whose statements build on each other
// (CREATE, INSERT, then SELECT) and a crash replays alone.
//
// Input: one flags byte, then the bytes the client sends, cut into frames as the server's read
// loop cuts them (split_frame, 1 MiB at most), until a frame is incomplete, rejected, or the
// handler closes the connection (256 frames at most). Flags:
//   0x01  the node has a PasswordAuthenticator user (cassandra / cassandra);
//   0x02  the target does the handshake (STARTUP, and the SASL answer) before the input's
//         frames, so that mutated inputs need not keep a valid STARTUP to reach the executor.
//
// Checked for every frame: the handler never throws and appends exactly one frame; it is a v4
// response on the request's stream, encoded at the first try, decodes, re-encodes to the same
// bytes, and is an answer the request can get (RESULT or ERROR to a QUERY, ...); Rows cells
// decode as their column types; pages hold at most page_size rows; an EXECUTE's rows have the
// columns its PREPARE announced (and none with skip_metadata); a SCHEMA_CHANGE result comes
// with the same schema change for the event, which encodes too.
#include "sandbox_checks.hpp"

#include <nosqlc/sandbox/cluster.hpp>
#include <nosqlc/sandbox/executor.hpp>
#include <nosqlc/sandbox/request_handler.hpp>
#include <nosqlc/sandbox/store.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

using namespace nosqlc;
using namespace sandbox_fuzz;
using pr::Opcode;

namespace {

constexpr std::size_t kMaxFrame = std::size_t{1} << 20;
// Bounds the work of an input far below -timeout: under the sanitizers a read of a system
// table (rebuilt for every read) takes milliseconds.
constexpr std::size_t kMaxFrames = 256;

bool allowed(Opcode request, Opcode answer) {
  if (answer == Opcode::error) return true;
  switch (request) {
    case Opcode::options:
      return answer == Opcode::supported;
    case Opcode::startup:
      return answer == Opcode::ready || answer == Opcode::authenticate;
    case Opcode::auth_response:
      return answer == Opcode::auth_success || answer == Opcode::auth_challenge;
    case Opcode::register_:
      return answer == Opcode::ready;
    case Opcode::query:
    case Opcode::prepare:
    case Opcode::execute:
    case Opcode::batch:
      return answer == Opcode::result;
    default:
      return false;
  }
}

class Session {
 public:
  explicit Session(bool auth) : executor_(store_, cluster_, 0), handler_(node(auth)) {}

  // Hands one frame to the handler and checks its answer; false once the connection is over.
  bool feed(const pr::FrameSlice& frame) {
    pr::Bytes out;
    sandbox::ConnectionHandler::Outcome outcome = handler_.handle(frame, out);
    check(frame, out);
    // A SCHEMA_CHANGE result is what the connections registered for it hear of.
    require(outcome.schema_change.has_value() == answered_change_.has_value() &&
                (!answered_change_ || same_change(*answered_change_, *outcome.schema_change)),
            "schema change: the result and the event differ");
    if (outcome.schema_change) {
      context() = "the schema change event";
      pr::Bytes event;
      if (handler_.event(pr::Event{*outcome.schema_change}, event)) {
        Answer a;
        decode_answer(event, a);
        require(a.header.stream == -1 && a.header.opcode == Opcode::event,
                "event: not an EVENT on stream -1");
      }
    }
    now_ += 1'000'000;  // a second per request, so that TTLs can run out within an input
    return !outcome.close;
  }

  void reject(const pr::FrameHeader& header, const pr::Status& status) {
    context() = "a frame whose header split_frame rejects";
    pr::Bytes out;
    handler_.reject(header, status, out);
    Answer a;
    decode_answer(out, a);
    require(a.header.stream == header.stream && a.header.opcode == Opcode::error,
            "reject: not an ERROR on the frame's stream");
  }

  // A handshake frame built here (flag 0x02).
  bool feed_request(const pr::Request& r) {
    pr::Bytes frame;
    require(pr::encode_request(r, frame).ok(), "handshake: does not encode");
    pr::FrameSlice slice;
    std::size_t needed = 0;
    require(pr::split_frame(frame, slice, needed).ok() && needed == 0, "handshake: no frame");
    return feed(slice);
  }

 private:
  const sandbox::NodeContext& node(bool auth) {
    node_.executor = &executor_;
    if (auth) node_.users.push_back({"cassandra", "cassandra"});
    node_.max_frame = kMaxFrame;
    return node_;
  }

  void check(const pr::FrameSlice& frame, const pr::Bytes& out) {
    // The request again, as the handler read it, for the checks that need its content.
    pr::Bytes scratch;
    pr::FrameExtras extras;
    pr::BytesView body;
    pr::Request req;
    const bool decoded =
        !frame.header.response &&
        pr::open_body(frame.header, frame.body, scratch, extras, body, kMaxFrame).ok() &&
        pr::decode_request(frame.header, body, req, /*ignore_trailing=*/true).ok();  // as it does
    context() = pr::to_string(frame.header.opcode);
    if (const auto* q = decoded ? std::get_if<pr::Query>(&req) : nullptr) context() = q->query;
    if (const auto* p = decoded ? std::get_if<pr::Prepare>(&req) : nullptr) context() = p->query;

    answered_change_.reset();
    Answer a;
    decode_answer(out, a);
    require(a.header.stream == frame.header.stream, "answer: not on the request's stream");
    require(allowed(frame.header.opcode, a.header.opcode), "answer: not one the request can get");
    // The handler's fallback when a reply does not encode: an inconsistent reply.
    if (const auto* e = std::get_if<pr::ServerError>(&a.response)) {
      require(!e->message.starts_with("cannot encode the answer"), "answer: did not encode");
    }
    if (!decoded) return;
    const pr::QueryParameters* params = nullptr;
    if (auto* q = std::get_if<pr::Query>(&req)) params = &q->params;
    if (auto* e = std::get_if<pr::Execute>(&req)) params = &e->params;

    const auto* result = std::get_if<pr::Result>(&a.response);
    if (!result) return;
    if (const auto* c = std::get_if<pr::SchemaChange>(result)) answered_change_ = *c;
    if (std::holds_alternative<pr::Prepare>(req)) {
      const auto* p = std::get_if<pr::PreparedResult>(result);
      require(p != nullptr, "PREPARE: answered by another RESULT kind");
      prepared_[pr::Bytes(p->id.begin(), p->id.end())] = p->result_metadata.columns;
      return;
    }
    require(!std::holds_alternative<pr::PreparedResult>(*result),
            "a Prepared result to something else than PREPARE");
    const auto* rows = std::get_if<pr::RowsResult>(result);
    if (!rows) return;
    if (params && params->page_size && *params->page_size > 0) {
      require(rows->row_count <= *params->page_size, "rows: more than page_size");
    } else {
      require(!rows->metadata.paging_state, "rows: a paging state without paging");
    }
    const std::vector<pr::ColumnSpec>* columns = &rows->metadata.columns;
    if (auto* e = std::get_if<pr::Execute>(&req)) {
      auto it = prepared_.find(pr::Bytes(e->id.begin(), e->id.end()));
      // Even after schema changes: Cassandra unprepares the statements of a dropped table, so
      // a driver skipping metadata never decodes rows by stale columns.
      if (it != prepared_.end() && !it->second.empty()) {
        if (e->params.skip_metadata) {
          require(rows->metadata.no_metadata, "EXECUTE: metadata despite skip_metadata");
        } else {
          require(same_columns(rows->metadata.columns, it->second),
                  "EXECUTE: rows have other columns than PREPARE announced");
        }
        columns = &it->second;
      }
    }
    if (rows->metadata.no_metadata && columns == &rows->metadata.columns) return;
    check_cells(*rows, *columns);
  }

  static bool same_change(const pr::SchemaChange& a, const pr::SchemaChange& b) {
    return a.change == b.change && a.target == b.target && a.keyspace == b.keyspace &&
           a.name == b.name && a.arg_types == b.arg_types;
  }

  static bool same_columns(const std::vector<pr::ColumnSpec>& a,
                           const std::vector<pr::ColumnSpec>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].name != b[i].name || !(a[i].type == b[i].type)) return false;
    }
    return true;
  }

  std::int64_t now_ = 1'700'000'000'000'000;
  sandbox::Store store_{[this] { return now_; }};
  sandbox::Cluster cluster_{1, 9042};
  sandbox::Executor executor_;
  sandbox::NodeContext node_;
  sandbox::ConnectionHandler handler_;
  // What PREPARE answered for each id: the columns of the rows its EXECUTEs must answer.
  std::map<pr::Bytes, std::vector<pr::ColumnSpec>> prepared_;
  std::optional<pr::SchemaChange> answered_change_;  // by the last answer
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  context() = {};  // it viewed the previous input
  if (size == 0) return 0;
  const std::uint8_t flags = data[0];
  pr::BytesView in(data + 1, size - 1);
  Session s((flags & 0x01) != 0);
  if (flags & 0x02) {
    pr::Startup startup;
    startup.options["CQL_VERSION"] = "3.0.0";
    if (!s.feed_request(pr::Request{startup})) return 0;
    if (flags & 0x01) {
      static constexpr std::uint8_t kToken[] = "\0cassandra\0cassandra";
      pr::AuthResponse auth{pr::BytesView(kToken, sizeof kToken - 1)};
      if (!s.feed_request(pr::Request{auth})) return 0;
    }
  }
  for (std::size_t n = 0; n < kMaxFrames && !in.empty(); ++n) {
    pr::FrameSlice frame;
    std::size_t needed = 0;
    pr::Status st = pr::split_frame(in, frame, needed, kMaxFrame);
    if (!st.ok()) {
      s.reject(frame.header, st);
      break;
    }
    if (needed > 0) break;
    if (!s.feed(frame)) break;
    in = in.subspan(frame.size());
  }
  return 0;
}
