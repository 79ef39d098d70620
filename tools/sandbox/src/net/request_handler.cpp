#include "nosqlc/sandbox/request_handler.hpp"

#include <nosqlc/protocol/compression.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace nosqlc::sandbox {
namespace {

using namespace protocol;

constexpr std::string_view kAuthenticator = "org.apache.cassandra.auth.PasswordAuthenticator";

ServerError protocol_error(std::string message) {
  return ServerError{ServerErrorCode::protocol_error, std::move(message), {}};
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// ---- CQL_VERSION, as Cassandra 4's StartupMessage reads it with CassandraVersion ----

struct CqlVersion {
  std::int32_t major = 0, minor = 0, patch = 0;
  bool hotfix = false;       // a fourth number
  bool pre_release = false;  // "-beta1"
  bool build = false;        // "+build.7"
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_word(char c) {  // Java's \w: ASCII letters, digits and '_'
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Java's Integer.parseInt of a run of \w: only digits, at most 2^31 - 1.
std::optional<std::int32_t> parse_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
    if (v > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
  }
  return static_cast<std::int32_t>(v);
}

// CassandraVersion(String): the whole of `v` must match
//   (\d+)\.(\d+)(?:\.(\w+))?(?:\.(\w+))?(\-[-.\w]+)?([.+][.\w]+)?
// with Java's backtracking, and the numbers must parse; else "Invalid version value: v". Every
// repetition here can only succeed at its longest, so the match is found without backtracking
// into them, in linear time whatever the length.
std::optional<CqlVersion> parse_cql_version(std::string_view v) {
  const std::size_t n = v.size();
  auto run = [&](std::size_t from, auto accept) {
    while (from < n && accept(v[from]))
      ++from;
    return from;
  };
  auto pre_char = [](char c) { return is_word(c) || c == '.' || c == '-'; };
  auto build_char = [](char c) { return is_word(c) || c == '.'; };
  // The pre-release and build groups, from `at` to the end of `v`.
  auto tail = [&](std::size_t at, CqlVersion& out) {
    out.pre_release = out.build = false;
    if (at < n && v[at] == '-') {
      std::size_t end = run(at + 1, pre_char);
      if (end == at + 1) return false;
      out.pre_release = true;
      at = end;
    }
    if (at < n && (v[at] == '.' || v[at] == '+')) {
      std::size_t end = run(at + 1, build_char);
      if (end == at + 1) return false;
      out.build = true;
      at = end;
    }
    return at == n;
  };
  std::size_t major_end = run(0, is_digit);
  if (major_end == 0 || major_end >= n || v[major_end] != '.') return std::nullopt;
  std::size_t minor_end = run(major_end + 1, is_digit);
  if (minor_end == major_end + 1) return std::nullopt;
  auto major = parse_int(v.substr(0, major_end));
  auto minor = parse_int(v.substr(major_end + 1, minor_end - major_end - 1));
  // The optional ".word" groups (patch, then hotfix) at `at`, if one starts there.
  auto word = [&](std::size_t at) -> std::size_t {
    if (at + 1 < n && v[at] == '.' && is_word(v[at + 1])) return run(at + 1, is_word);
    return 0;
  };
  CqlVersion out;
  std::string_view patch, hotfix;
  bool matched = false;
  if (std::size_t p_end = word(minor_end)) {
    // Both groups, then the patch alone; a hotfix without a patch would match the same text.
    if (std::size_t h_end = word(p_end); h_end && tail(h_end, out)) {
      patch = v.substr(minor_end + 1, p_end - minor_end - 1);
      hotfix = v.substr(p_end + 1, h_end - p_end - 1);
      matched = true;
    } else if (tail(p_end, out)) {
      patch = v.substr(minor_end + 1, p_end - minor_end - 1);
      matched = true;
    }
  }
  if (!matched && !tail(minor_end, out)) return std::nullopt;
  if (!major || !minor) return std::nullopt;
  out.major = *major;
  out.minor = *minor;
  if (!patch.empty()) {
    auto p = parse_int(patch);
    if (!p) return std::nullopt;
    out.patch = *p;
  }
  if (!hotfix.empty()) {
    if (!parse_int(hotfix)) return std::nullopt;
    out.hotfix = true;
  }
  return out;
}

// CassandraVersion.compareTo(new CassandraVersion("2.99.0")) < 0: an older version, or
// 2.99.0 itself with a pre-release (which sorts first) and no hotfix.
bool before_2_99_0(const CqlVersion& v) {
  if (v.major != 2) return v.major < 2;
  if (v.minor != 99) return v.minor < 99;
  if (v.patch != 0) return false;
  if (v.hotfix) return false;
  return v.pre_release;
}

// SASL PLAIN (RFC 4616): [authzid] NUL authcid NUL passwd.
std::optional<Credentials> parse_plain(std::optional<BytesView> token) {
  if (!token) return std::nullopt;
  std::string_view t(reinterpret_cast<const char*>(token->data()), token->size());
  auto first = t.find('\0');
  if (first == std::string_view::npos) return std::nullopt;
  auto second = t.find('\0', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  return Credentials{std::string(t.substr(first + 1, second - first - 1)),
                     std::string(t.substr(second + 1))};
}

}  // namespace

void ConnectionHandler::answer(std::int16_t stream, const Response& r, Bytes& out,
                               const std::vector<std::string>& warnings,
                               const std::optional<protocol::Uuid>& tracing_id) const {
  FrameOptions fo;
  fo.stream = stream;
  fo.compress = compress_;
  fo.warnings = warnings;
  fo.tracing_id = tracing_id;
  Bytes frame;
  Status st = encode_response(r, frame, fo);
  if (!st.ok()) {
    // Too large or inconsistent: say so instead (an ERROR always encodes).
    fo.warnings.clear();
    frame.clear();
    (void)encode_response(
        ServerError{ServerErrorCode::server_error, "cannot encode the answer: " + st.message, {}},
        frame, fo);
  }
  out.insert(out.end(), frame.begin(), frame.end());
}

void ConnectionHandler::error(std::int16_t stream, const ServerError& e, Bytes& out) const {
  answer(stream, Response{e}, out);
}

void ConnectionHandler::reject(const FrameHeader& header, const Status& status, Bytes& out) const {
  std::string message;
  if (status.code == make_error_code(errc::unsupported_version)) {
    // The drivers look for "unsupported protocol version" to try a lower version.
    message = "Invalid or unsupported protocol version (" + std::to_string(header.version) +
              "); supported versions are (4/v4)";
  } else {
    message = "Invalid frame: " + status.message;
  }
  FrameOptions fo;
  fo.stream = header.stream;
  Bytes frame;
  (void)encode_response(protocol_error(std::move(message)), frame, fo);
  out.insert(out.end(), frame.begin(), frame.end());
}

bool ConnectionHandler::event(const Event& e, Bytes& out) const {
  std::string_view kind = std::holds_alternative<TopologyChange>(e) ? "TOPOLOGY_CHANGE"
                          : std::holds_alternative<StatusChange>(e) ? "STATUS_CHANGE"
                                                                    : "SCHEMA_CHANGE";
  if (!events_.contains(std::string(kind))) return false;
  answer(-1, Response{e}, out);
  return true;
}

ConnectionHandler::Outcome ConnectionHandler::handle(const FrameSlice& frame, Bytes& out) {
  const FrameHeader& h = frame.header;
  if (h.response) {
    error(h.stream, protocol_error("Invalid frame: a response frame sent to the server"), out);
    return {true, std::nullopt, std::nullopt};
  }
  Bytes scratch;
  FrameExtras extras;
  BytesView body;
  Request req;
  Status st = open_body(h, frame.body, scratch, extras, body, node_.max_frame);
  // Bytes after a complete request are ignored, as Cassandra 4 does (transport/Message.java);
  // the frame's length still bounds everything read.
  if (st.ok()) st = decode_request(h, body, req, /*ignore_trailing=*/true);
  if (!st.ok()) {
    // The frame's length was sound, so the connection stays usable.
    error(h.stream, protocol_error("Invalid message: " + st.message), out);
    return {};
  }
  return request(h.stream, req, out, (h.flags & protocol::kFlagTracing) != 0);
}

ConnectionHandler::Outcome ConnectionHandler::request(std::int16_t stream, Request& req, Bytes& out,
                                                      bool trace) {
  const std::string_view name = to_string(opcode_of(req));
  if (auto* o = std::get_if<Options>(&req)) {
    (void)o;
    Supported s;
    s.options["CQL_VERSION"] = {"3.4.5"};
    s.options["PROTOCOL_VERSIONS"] = {"4/v4"};
    s.options["COMPRESSION"] = {};
    if (lz4_available()) s.options["COMPRESSION"].push_back("lz4");
    answer(stream, Response{s}, out);
    return {};
  }
  if (state_ == State::initial) {
    auto* startup = std::get_if<Startup>(&req);
    if (!startup) {
      error(stream,
            protocol_error("Unexpected message " + std::string(name) +
                           ", expecting STARTUP or OPTIONS"),
            out);
      return {};
    }
    // Cassandra's StartupMessage: keys upper-cased, then CQL_VERSION, then COMPRESSION.
    StringMap options;
    for (const auto& [key, value] : startup->options)
      options[upper(key)] = value;
    auto version = options.find("CQL_VERSION");
    if (version == options.end()) {
      error(stream, protocol_error("Missing value CQL_VERSION in STARTUP message"), out);
      return {};
    }
    auto parsed = parse_cql_version(version->second);
    if (!parsed) {
      error(stream, protocol_error("Invalid version value: " + version->second), out);
      return {};
    }
    if (before_2_99_0(*parsed)) {
      error(stream,
            protocol_error("CQL version " + version->second +
                           " is not supported by the binary protocol (supported version are >= "
                           "3.0.0)"),
            out);
      return {};
    }
    bool lz4 = false;
    if (auto it = options.find("COMPRESSION"); it != options.end()) {
      std::string algo = it->second;
      std::transform(algo.begin(), algo.end(), algo.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (algo != "lz4" || !lz4_available()) {
        error(stream, protocol_error("Unknown compression algorithm: " + algo), out);
        return {};
      }
      lz4 = true;
    }
    if (node_.users.empty()) {
      answer(stream, Response{Ready{}}, out);
      state_ = State::ready;
    } else {
      answer(stream, Response{Authenticate{std::string(kAuthenticator)}}, out);
      state_ = State::authenticating;
    }
    compress_ = lz4;  // every frame after the answer to STARTUP
    return {};
  }
  if (state_ == State::authenticating) {
    auto* auth = std::get_if<AuthResponse>(&req);
    if (!auth) {
      error(stream,
            protocol_error("Unexpected message " + std::string(name) + ", expecting SASL response"),
            out);
      return {};
    }
    auto creds = parse_plain(auth->token);
    bool ok =
        creds && std::any_of(node_.users.begin(), node_.users.end(), [&](const Credentials& u) {
          return u.username == creds->username && u.password == creds->password;
        });
    if (!ok) {
      std::string who = creds ? creds->username : std::string();
      error(stream,
            ServerError{ServerErrorCode::bad_credentials,
                        "Provided username " + who + " and/or password are incorrect",
                        {}},
            out);
      return {};
    }
    answer(stream, Response{AuthSuccess{}}, out);
    state_ = State::ready;
    return {};
  }
  if (std::holds_alternative<Startup>(req) || std::holds_alternative<AuthResponse>(req)) {
    error(stream,
          protocol_error("Unexpected message " + std::string(name) + ", the connection is ready"),
          out);
    return {};
  }
  if (auto* r = std::get_if<Register>(&req)) {
    for (const std::string& e : r->events) {
      std::string kind = upper(e);
      if (kind != "TOPOLOGY_CHANGE" && kind != "STATUS_CHANGE" && kind != "SCHEMA_CHANGE") {
        error(stream, protocol_error("Invalid value '" + e + "' for Type"), out);
        return {};
      }
    }
    for (const std::string& e : r->events)
      events_.insert(upper(e));
    answer(stream, Response{Ready{}}, out);
    return {};
  }
  Executor& ex = *node_.executor;
  Reply reply;
  if (auto* q = std::get_if<Query>(&req)) {
    reply = ex.query(q->query, q->params, client_, trace);
  } else if (auto* p = std::get_if<Prepare>(&req)) {
    reply = ex.prepare(p->query, client_, trace);
  } else if (auto* e = std::get_if<Execute>(&req)) {
    reply = ex.execute(e->id, e->params, client_, trace);
    // The client has the columns from PREPARE and asked not to get them again; they stay in
    // the metadata only to set its Global_tables_spec flag, as Cassandra keeps it.
    if (auto* result = std::get_if<Result>(&reply.message); result && e->params.skip_metadata) {
      if (auto* rows = std::get_if<protocol::RowsResult>(result)) rows->metadata.no_metadata = true;
    }
  } else if (auto* b = std::get_if<Batch>(&req)) {
    reply = ex.batch(*b, client_, trace);
  }
  // Other requests are not traceable (Message.Request.isTraceable): their answers carry no id.
  answer(stream, reply.message, out, reply.warnings, reply.tracing_id);
  return {false, std::move(reply.schema_change), std::move(reply.control)};
}

}  // namespace nosqlc::sandbox
