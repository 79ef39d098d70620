// Writes the seed corpora of the sandbox fuzz targets (run by fuzz/gen_corpus.sh):
//   <dir>/fuzz_cql_statement/<script>   each CQL script below, one statement per line;
//   <dir>/fuzz_server_request/<session> a flags byte and the request frames of a client session.
// Each session is played against a real ConnectionHandler while it is written, so EXECUTE
// frames carry the ids PREPARE answered and paged QUERY frames the paging states the previous
// page answered. Prints each seed with its count of ERROR answers, so that a seed that stopped
// meaning what it says shows up.
//   usage: gen_sandbox_seeds <corpus dir>
#include <nosqlc/protocol/compression.hpp>
#include <nosqlc/protocol/messages.hpp>
#include <nosqlc/protocol/values.hpp>
#include <nosqlc/sandbox/cluster.hpp>
#include <nosqlc/sandbox/executor.hpp>
#include <nosqlc/sandbox/request_handler.hpp>
#include <nosqlc/sandbox/store.hpp>

#include <cstdint>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pr = nosqlc::protocol;
namespace sb = nosqlc::sandbox;
namespace fs = std::filesystem;

namespace {

constexpr std::uint8_t kAuth = 0x01;       // the node has the user cassandra / cassandra
constexpr std::uint8_t kHandshake = 0x02;  // the fuzz target does STARTUP itself

const char* const kKeyspace =
    "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', "
    "'replication_factor': 1}";

struct Script {
  std::string name;
  std::vector<std::string> statements;
};

// The CQL scripts: seeds of fuzz_cql_statement as they are, and of fuzz_server_request as
// QUERY frames after a handshake.
std::vector<Script> scripts() {
  return {
      {"ddl_dml",
       {kKeyspace, "USE ks", "CREATE TABLE t (k int PRIMARY KEY, v text, n bigint)",
        "INSERT INTO t (k, v, n) VALUES (1, 'one', 10)", "INSERT INTO t (k, v) VALUES (2, 'two')",
        "INSERT INTO ks.t (k, v, n) VALUES (3, 'three', -3)", "UPDATE t SET v = 'uno' WHERE k = 1",
        "UPDATE t SET n = 7 WHERE k IN (2, 3)", "DELETE n FROM t WHERE k = 3",
        "DELETE FROM t WHERE k = 2", "SELECT * FROM t", "SELECT k, v AS value FROM t WHERE k = 1",
        "SELECT token(k), k FROM t WHERE token(k) > -100", "SELECT count(*) FROM t",
        "SELECT k FROM t WHERE v = 'uno' ALLOW FILTERING", "TRUNCATE t", "SELECT * FROM t",
        "DROP TABLE t", "DROP KEYSPACE ks"}},
      {"paging",
       {kKeyspace, "USE ks", "CREATE TABLE p (k text PRIMARY KEY, v int)",
        "INSERT INTO p (k, v) VALUES ('a', 1)", "INSERT INTO p (k, v) VALUES ('b', 2)",
        "INSERT INTO p (k, v) VALUES ('c', 3)", "INSERT INTO p (k, v) VALUES ('d', 4)",
        "INSERT INTO p (k, v) VALUES ('e', 5)", "SELECT * FROM p", "SELECT k FROM p LIMIT 4",
        "SELECT * FROM p WHERE k IN ('e', 'a', 'c', 'a')", "SELECT v FROM p WHERE token(k) <= 0",
        "SELECT DISTINCT k FROM p", "SELECT count(*) FROM p LIMIT 2"}},
      {"lwt",
       {kKeyspace, "USE ks", "CREATE TABLE l (k text PRIMARY KEY, data text, n int)",
        "INSERT INTO l (k, data) VALUES ('a', 'v1') IF NOT EXISTS",
        "INSERT INTO l (k, data) VALUES ('a', 'v2') IF NOT EXISTS",
        "UPDATE l SET data = 'v2' WHERE k = 'a' IF data = 'v1'",
        "UPDATE l SET data = 'v3' WHERE k = 'a' IF data = 'v1'",
        "UPDATE l SET n = 1 WHERE k = 'b' IF EXISTS", "DELETE FROM l WHERE k = 'a' IF data = 'v2'",
        "DELETE FROM l WHERE k = 'a' IF EXISTS", "SELECT * FROM l"}},
      {"types",
       {kKeyspace, "USE ks",
        "CREATE TABLE ty (k int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, d date, "
        "de decimal, do double, du duration, f float, i inet, s smallint, te text, ti time, "
        "ts timestamp, tu timeuuid, tn tinyint, u uuid, vc varchar, vi varint)",
        "INSERT INTO ty (k, a, b, bl, bo, d, de, do, du, f, i, s, te, ti, ts, tu, tn, u, vc, vi) "
        "VALUES (1, 'abc', -9223372036854775808, 0xCAFE, true, '2024-02-29', 123.450, 1.5e3, "
        "'1h30m', -2.5, '2001:db8::1', -32768, 'h\xc3\xa9llo', '13:14:15.123456789', "
        "'2011-02-03 04:05:06.007+0100', 50554d6e-29bb-11e5-b345-feff819cdc9f, 127, "
        "01234567-0123-4567-89ab-0123456789ab, 'v', 123456789012345678901234567890)",
        "INSERT INTO ty (k, do, f, de, vi) VALUES (2, NaN, -Infinity, -0.0001, -1)",
        "INSERT INTO ty (k, tu, u, ts) VALUES (3, now(), uuid(), toTimestamp(now()))",
        "INSERT INTO ty (k, i, d, ti) VALUES (4, '10.0.0.1', 0, 0)", "SELECT * FROM ty",
        "SELECT k, vi, de FROM ty WHERE k = 1"}},
      {"collections",
       {kKeyspace, "USE ks",
        "CREATE TABLE c (k int PRIMARY KEY, l list<int>, s set<text>, m map<int, text>, "
        "fl frozen<list<tuple<int, text>>>)",
        "INSERT INTO c (k, l, s, m) VALUES (1, [3, 1, 3], {'b', 'a', 'b'}, {2: 'two', 1: 'one'})",
        "UPDATE c SET l = l + [4], s = s + {'0'}, m = m + {0: 'zero', 2: 'TWO'} WHERE k = 1",
        "UPDATE c SET l = [0] + l WHERE k = 1",
        "UPDATE c SET l = l - [3], s = s - {'a'} WHERE k = 1",
        "UPDATE c SET m[5] = 'five', l[0] = 9 WHERE k = 1", "UPDATE c SET m = m - {1} WHERE k = 1",
        "INSERT INTO c (k, fl) VALUES (2, [(1, 'x'), (2, null)])",
        "CREATE TABLE f (k frozen<set<int>> PRIMARY KEY, v frozen<map<text, list<int>>>)",
        "INSERT INTO f (k, v) VALUES ({2, 1}, {'a': [1], 'b': []})",
        "SELECT * FROM f WHERE k = {1, 2}", "SELECT l, s, m, fl FROM c"}},
      {"ttl_timestamp",
       {kKeyspace, "USE ks", "CREATE TABLE e (k int PRIMARY KEY, v text)",
        "INSERT INTO e (k, v) VALUES (1, 'short') USING TTL 2",
        "INSERT INTO e (k, v) VALUES (2, 'old') USING TIMESTAMP 1000",
        "INSERT INTO e (k, v) VALUES (2, 'new') USING TIMESTAMP 2000",
        "UPDATE e USING TTL 5 AND TIMESTAMP 3000 SET v = 'x' WHERE k = 3",
        "DELETE FROM e USING TIMESTAMP 1500 WHERE k = 2", "SELECT * FROM e", "SELECT * FROM e",
        "SELECT * FROM e"}},
      {"system_tables",
       {"SELECT * FROM system.local WHERE key = 'local'", "SELECT * FROM system.peers",
        "SELECT * FROM system.peers_v2", "SELECT * FROM system_schema.keyspaces",
        "SELECT * FROM system_schema.tables", "SELECT * FROM system_schema.columns",
        "SELECT * FROM system_schema.types", "SELECT * FROM system_schema.functions",
        "SELECT * FROM system_schema.aggregates", "SELECT * FROM system_schema.views",
        "SELECT * FROM system_schema.indexes", "SELECT * FROM system_schema.triggers",
        "SELECT * FROM system_virtual_schema.keyspaces",
        "SELECT keyspace_name, table_name FROM system_schema.tables WHERE keyspace_name IN "
        "('system', 'system_schema') LIMIT 3",
        "SELECT schema_version, release_version FROM system.local"}},
      {"errors",
       {"SELECT * FORM t",
        "SELECT * FROM t",
        "USE nowhere",
        kKeyspace,
        kKeyspace,
        "USE ks",
        "CREATE TABLE t (a int PRIMARY KEY, a text)",
        "CREATE TABLE t (k int, v int)",
        "CREATE TABLE t (k int PRIMARY KEY, v int)",
        "CREATE TABLE t (k int PRIMARY KEY, v int)",
        "INSERT INTO t (k, v) VALUES (1, 3000000000)",
        "INSERT INTO t (v) VALUES (2)",
        "INSERT INTO t (k, nope) VALUES (1, 2)",
        "INSERT INTO system.local (key) VALUES ('x')",
        "SELECT * FROM t WHERE v = 1",
        "SELECT * FROM t LIMIT 0",
        "UPDATE t SET k = 2 WHERE k = 1",
        "SELECT nosuch(v) FROM t",
        "INSERT INTO t (k, v) VALUES (?, ?)",
        "DROP KEYSPACE system",
        "SELECT * FROM t WHERE k = 1 AND k = 2",
        "'unterminated",
        "SELECT ((((((((((1"}},
  };
}

// A request of a session; the ids and paging states come from earlier answers.
struct Step {
  enum class Kind { request, execute, next_page, batch_prepared };
  Kind kind = Kind::request;
  pr::Request request;
  std::size_t prepared = 0;  // execute, batch_prepared: which PREPARE answer (0 = first)
  bool compress = false;
};

struct Session {
  std::string name;
  std::uint8_t flags = 0;
  std::vector<Step> steps;
};

// Keeps the bytes that requests view.
std::deque<pr::Bytes> g_values;
std::deque<std::string> g_texts;

pr::Value int_value(std::int32_t v) {
  pr::encode_int(v, g_values.emplace_back());
  return pr::Value::of(g_values.back());
}
pr::Value text_value(std::string_view s) {
  g_values.emplace_back(s.begin(), s.end());
  return pr::Value::of(g_values.back());
}
std::string_view text(std::string s) {
  return g_texts.emplace_back(std::move(s));
}

Step request(pr::Request r) {
  Step s;
  s.request = std::move(r);
  return s;
}
Step query(std::string cql, pr::QueryParameters p = {}) {
  return request(pr::Query{text(std::move(cql)), std::move(p)});
}
Step prepare(std::string cql) {
  return request(pr::Prepare{text(std::move(cql))});
}
Step execute(std::size_t prepared, pr::QueryParameters p = {}) {
  Step s = request(pr::Execute{{}, std::move(p)});
  s.kind = Step::Kind::execute;
  s.prepared = prepared;
  return s;
}
// The QUERY of step `q` again, with the paging state of the last answer.
Step next_page(const Step& q) {
  Step s = q;
  s.kind = Step::Kind::next_page;
  return s;
}
pr::QueryParameters values(std::vector<pr::Value> v) {
  pr::QueryParameters p;
  p.values = std::move(v);
  return p;
}
pr::QueryParameters page(std::int32_t size) {
  pr::QueryParameters p;
  p.page_size = size;
  return p;
}

Step startup(bool lz4 = false) {
  pr::Startup s;
  s.options["CQL_VERSION"] = "3.0.0";
  if (lz4) s.options["COMPRESSION"] = "lz4";
  return request(s);
}
Step auth(std::string_view user, std::string_view password) {
  std::string token = std::string(1, '\0') + std::string(user) + '\0' + std::string(password);
  g_values.emplace_back(token.begin(), token.end());
  return request(pr::AuthResponse{pr::BytesView(g_values.back())});
}
Step register_all() {
  return request(pr::Register{{"SCHEMA_CHANGE", "STATUS_CHANGE", "TOPOLOGY_CHANGE"}});
}

std::vector<Step> handshake() {
  return {request(pr::Options{}), startup(), register_all()};
}

std::vector<Session> sessions() {
  std::vector<Session> out;
  for (const Script& sc : scripts()) {
    Session s{sc.name, 0, handshake()};
    for (const std::string& q : sc.statements)
      s.steps.push_back(query(q));
    out.push_back(std::move(s));
    // The same statements without a handshake: the target does it (flag 0x02).
    Session bare{sc.name + "_bare", kHandshake, {}};
    for (const std::string& q : sc.statements)
      bare.steps.push_back(query(q));
    out.push_back(std::move(bare));
  }

  const std::vector<Step> schema = {query(kKeyspace), query("USE ks"),
                                    query("CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY, "
                                          "v text, l list<int>)")};
  auto with = [&](std::vector<Step> steps) {
    std::vector<Step> all = handshake();
    all.insert(all.end(), schema.begin(), schema.end());
    all.insert(all.end(), steps.begin(), steps.end());
    return all;
  };

  {
    pr::QueryParameters skip = values({int_value(1)});
    skip.skip_metadata = true;
    pr::QueryParameters named = values({text_value("named"), int_value(5)});
    named.names = {"v", "k"};
    pr::QueryParameters unset = values({int_value(6), pr::Value::not_set(), pr::Value::null()});
    pr::QueryParameters in_list;
    pr::Bytes list;
    std::vector<pr::Bytes> elems(2);
    pr::encode_int(1, elems[0]);
    pr::encode_int(5, elems[1]);
    std::vector<pr::BytesView> views(elems.begin(), elems.end());
    (void)pr::encode_collection(views, list);
    g_values.push_back(list);
    in_list.values = {pr::Value::of(g_values.back())};
    out.push_back(
        {"prepare_execute", 0,
         with({prepare("INSERT INTO t (k, v) VALUES (?, ?)"),
               execute(0, values({int_value(1), text_value("one")})),
               execute(0, values({int_value(2), pr::Value::null()})),
               prepare("SELECT k, v FROM t WHERE k = ?"), execute(1, skip),
               execute(1, values({int_value(2)})), prepare("UPDATE t SET v = :v WHERE k = :k"),
               execute(2, named), prepare("INSERT INTO t (k, v, l) VALUES (?, ?, ?) USING TTL 60"),
               execute(3, unset), prepare("SELECT * FROM t WHERE k IN ?"), execute(4, in_list),
               prepare("SELECT * FROM t LIMIT ?"), execute(5, values({int_value(2)}))})});
  }
  {
    std::vector<Step> steps;
    for (int i = 0; i < 7; ++i)
      steps.push_back(query("INSERT INTO t (k, v) VALUES (" + std::to_string(i) + ", 'v')"));
    Step first = query("SELECT * FROM t", page(3));
    steps.push_back(first);
    steps.push_back(next_page(first));
    steps.push_back(next_page(first));
    Step limited = query("SELECT k FROM t LIMIT 5", page(2));
    steps.push_back(limited);
    steps.push_back(next_page(limited));
    steps.push_back(next_page(limited));
    steps.push_back(prepare("SELECT v FROM t WHERE token(k) > ?"));
    pr::QueryParameters p = page(2);
    pr::encode_bigint(-4'000'000'000'000'000'000, g_values.emplace_back());
    p.values = {pr::Value::of(g_values.back())};
    steps.push_back(execute(0, p));
    out.push_back({"paging_states", 0, with(std::move(steps))});
  }
  {
    pr::Batch logged;
    logged.statements.push_back({text("INSERT INTO t (k, v) VALUES (1, 'a')"), {}});
    logged.statements.push_back(
        {text("INSERT INTO t (k, v) VALUES (?, ?)"), {int_value(2), text_value("b")}});
    logged.statements.push_back({text("DELETE FROM t WHERE k = 3"), {}});
    pr::Batch unlogged = logged;
    unlogged.type = pr::BatchType::unlogged;
    unlogged.default_timestamp = 1'000'000;
    pr::Batch counter = logged;
    counter.type = pr::BatchType::counter;
    pr::Batch conditional;
    conditional.statements.push_back(
        {text("INSERT INTO t (k, v) VALUES (9, 'x') IF NOT EXISTS"), {}});
    conditional.serial_consistency = pr::Consistency::local_serial;
    Step prepared_batch = request(pr::Batch{});
    prepared_batch.kind = Step::Kind::batch_prepared;
    out.push_back({"batch", 0,
                   with({request(logged), request(unlogged), request(counter), request(conditional),
                         prepare("UPDATE t SET v = ? WHERE k = ?"), prepared_batch,
                         query("SELECT * FROM t")})});
  }
  {
    // A statement prepared on a table that is then dropped and re-created with other columns.
    pr::QueryParameters skip;
    skip.skip_metadata = true;
    out.push_back({"prepare_drop_recreate", 0,
                   with({query("INSERT INTO t (k, v) VALUES (1, 'one')"),
                         prepare("SELECT * FROM t"), execute(0, skip), query("DROP TABLE t"),
                         query("CREATE TABLE t (k int PRIMARY KEY, x bigint)"),
                         query("INSERT INTO t (k, x) VALUES (2, 2)"), execute(0, skip),
                         prepare("SELECT * FROM t"), execute(1, skip)})});
  }
  out.push_back(
      {"auth",
       kAuth,
       {request(pr::Options{}), startup(), auth("cassandra", "wrong"),
        auth("cassandra", "cassandra"), query("SELECT release_version FROM system.local")}});
  out.push_back({"auth_bare",
                 kAuth | kHandshake,
                 {query("SELECT peer, tokens FROM system.peers"), register_all()}});
  if (pr::lz4_available()) {
    std::vector<Step> steps = {request(pr::Options{}), startup(true)};
    for (const Step& s : schema) {
      Step c = s;
      c.compress = true;
      steps.push_back(c);
    }
    Step insert = query("INSERT INTO t (k, v) VALUES (1, 'compressed, compressed, compressed')");
    insert.compress = true;
    Step select = query("SELECT * FROM t");
    select.compress = true;
    steps.push_back(insert);
    steps.push_back(select);
    steps.push_back(query("SELECT * FROM t"));  // uncompressed after all
    out.push_back({"lz4", 0, std::move(steps)});
  }
  {
    // Protocol errors, then a frame the server answers and closes the connection on.
    pr::QueryParameters serial = values({});
    serial.serial_consistency = pr::Consistency::serial;
    serial.default_timestamp = 42;
    serial.consistency = pr::Consistency::quorum;
    out.push_back(
        {"protocol_errors",
         0,
         {query("SELECT * FROM system.local"), request(pr::Register{{"SCHEMA_CHANGE"}}), startup(),
          startup(), request(pr::Register{{"NOPE"}}), query("SELECT * FROM system.local", serial),
          execute(7), request(pr::AuthResponse{})}});
  }
  return out;
}

class Player {
 public:
  explicit Player(std::uint8_t flags) : executor_(store_, cluster_, 0), handler_(context(flags)) {
    if (flags & kHandshake) {
      play(startup(), nullptr);
      if (flags & kAuth) play(auth("cassandra", "cassandra"), nullptr);
    }
  }

  // Encodes `step`, appends it to `seed` (unless null), has the handler answer it.
  void play(Step step, pr::Bytes* seed) {
    if (step.kind == Step::Kind::execute) {
      std::get<pr::Execute>(step.request).id = id(step.prepared);
    } else if (step.kind == Step::Kind::next_page) {
      std::get<pr::Query>(step.request).params.paging_state = pr::BytesView(paging_);
    } else if (step.kind == Step::Kind::batch_prepared) {
      pr::Batch b;
      b.statements.push_back({id(0), {text_value("p"), int_value(1)}});
      b.statements.push_back({text("INSERT INTO t (k) VALUES (4)"), {}});
      step.request = b;
    }
    pr::FrameOptions fo;
    fo.stream = stream_++;
    fo.compress = step.compress;
    pr::Bytes frame;
    if (!pr::encode_request(step.request, frame, fo).ok()) throw std::runtime_error("encode");
    if (seed) seed->insert(seed->end(), frame.begin(), frame.end());
    pr::FrameSlice slice;
    std::size_t needed = 0;
    if (!pr::split_frame(frame, slice, needed).ok() || needed) throw std::runtime_error("split");
    pr::Bytes out;
    (void)handler_.handle(slice, out);
    read_answer(out);
  }
  int errors() const { return errors_; }

 private:
  const sb::NodeContext& context(std::uint8_t flags) {
    node_.executor = &executor_;
    if (flags & kAuth) node_.users.push_back({"cassandra", "cassandra"});
    return node_;
  }
  pr::BytesView id(std::size_t i) const {
    return i < ids_.size() ? pr::BytesView(ids_[i]) : pr::BytesView();
  }
  void read_answer(const pr::Bytes& out) {
    pr::FrameSlice slice;
    std::size_t needed = 0;
    pr::Bytes scratch;
    pr::FrameExtras extras;
    pr::BytesView body;
    pr::Response r;
    if (!pr::split_frame(out, slice, needed).ok() ||
        !pr::open_body(slice.header, slice.body, scratch, extras, body).ok() ||
        !pr::decode_response(slice.header, body, r).ok()) {
      throw std::runtime_error("answer");
    }
    if (const auto* e = std::get_if<pr::ServerError>(&r)) {
      ++errors_;
      std::printf("    error: %s\n", e->message.substr(0, 100).c_str());
    }
    const auto* result = std::get_if<pr::Result>(&r);
    if (!result) return;
    if (const auto* p = std::get_if<pr::PreparedResult>(result)) {
      ids_.emplace_back(p->id.begin(), p->id.end());
    }
    if (const auto* rows = std::get_if<pr::RowsResult>(result)) {
      paging_.clear();
      if (rows->metadata.paging_state) {
        paging_.assign(rows->metadata.paging_state->begin(), rows->metadata.paging_state->end());
      }
    }
  }

  sb::Store store_;
  sb::Cluster cluster_{1, 9042};
  sb::Executor executor_;
  sb::NodeContext node_;
  sb::ConnectionHandler handler_;
  std::vector<pr::Bytes> ids_;
  pr::Bytes paging_;
  int errors_ = 0;
  std::int16_t stream_ = 1;
};

void write(const fs::path& file, const void* data, std::size_t size) {
  fs::create_directories(file.parent_path());
  std::ofstream f(file, std::ios::binary | std::ios::trunc);
  f.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus dir>\n", argv[0]);
    return 2;
  }
  const fs::path dir = argv[1];
  for (const Script& s : scripts()) {
    std::string lines;
    for (const std::string& q : s.statements)
      lines += q + "\n";
    write(dir / "fuzz_cql_statement" / s.name, lines.data(), lines.size());
  }
  for (const Session& s : sessions()) {
    std::printf("  fuzz_server_request/%s\n", s.name.c_str());
    pr::Bytes seed{s.flags};
    Player player(s.flags);
    for (const Step& step : s.steps)
      player.play(step, &seed);
    std::printf("    %zu frames, %d error answers\n", s.steps.size(), player.errors());
    write(dir / "fuzz_server_request" / s.name, seed.data(), seed.size());
  }
  return 0;
}
