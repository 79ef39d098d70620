// Tracing (the request flag 0x02) in raw frames, as Cassandra 4.0 answers it: a traced QUERY,
// EXECUTE, BATCH or PREPARE is answered with the tracing flag and a version 1 (time) UUID
// before the message, errors included (transport/Message.java, Request.execute, which sets
// the id on whatever response execute returned); other requests are not traceable and an
// untraced request has no id. The session reads back from system_traces
// (tracing/TraceKeyspace.java), with the request's name and parameters
// (transport/messages/QueryMessage.java) and its duration in microseconds.
#include "executor_fixture.hpp"

#include <nosqlc/protocol/frame.hpp>
#include <nosqlc/protocol/messages.hpp>
#include <nosqlc/sandbox/request_handler.hpp>

#include <string>

using namespace sandbox_test;

namespace {

struct Answer {
  pr::FrameHeader header;
  std::optional<pr::Uuid> tracing_id;
  pr::Response response;
};

// A ready connection of a one-node sandbox, driven frame by frame.
struct TracedConnection : ExecutorFixture {
  sb::NodeContext node;
  sb::ConnectionHandler handler{context(), pr::Inet{{127, 0, 0, 9}, 50000}};

  TracedConnection() {
    pr::Startup s;
    s.options["CQL_VERSION"] = "3.0.0";
    BOOST_REQUIRE(std::holds_alternative<pr::Ready>(send(s, false).response));
  }
  const sb::NodeContext& context() {
    node.executor = &ex;
    return node;
  }

  Answer send(const pr::Request& request, bool trace) {
    pr::FrameOptions fo;
    fo.tracing = trace;
    pr::Bytes in;
    BOOST_REQUIRE(pr::encode_request(request, in, fo).ok());
    pr::FrameSlice frame;
    std::size_t needed = 0;
    BOOST_REQUIRE(pr::split_frame(in, frame, needed).ok());
    out_.clear();
    (void)handler.handle(frame, out_);
    pr::FrameSlice answer;
    BOOST_REQUIRE(pr::split_frame(out_, answer, needed).ok());
    pr::FrameExtras extras;
    pr::BytesView body;
    BOOST_REQUIRE(pr::open_body(answer.header, answer.body, scratch_, extras, body).ok());
    Answer a{answer.header, extras.tracing_id, {}};
    BOOST_REQUIRE(pr::decode_response(answer.header, body, a.response).ok());
    return a;
  }

  Answer query(const std::string& cql, bool trace) {
    pr::Query q;
    q.query = cql;
    q.params.page_size = 100;
    return send(q, trace);
  }

 private:
  pr::Bytes out_, scratch_;
};

std::string uuid_text(const pr::Uuid& u) {
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += hex[u[i] >> 4];
    s += hex[u[i] & 0xF];
  }
  return s;
}

void require_traced(const Answer& a) {
  BOOST_TEST((a.header.flags & pr::kFlagTracing) != 0);
  BOOST_REQUIRE(a.tracing_id.has_value());
  BOOST_TEST(((*a.tracing_id)[6] >> 4) == 1);  // a time UUID (UUIDGen.getTimeUUID)
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sandbox_tracing)

BOOST_AUTO_TEST_CASE(traced_requests_carry_a_session_id_and_others_none) {
  TracedConnection c;
  c.ok(
      "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}");
  c.ok("CREATE TABLE ks.t (k int PRIMARY KEY, v text)");
  Answer untraced = c.query("SELECT * FROM ks.t", false);
  BOOST_TEST((untraced.header.flags & pr::kFlagTracing) == 0);
  BOOST_TEST(!untraced.tracing_id.has_value());
  require_traced(c.query("SELECT * FROM ks.t", true));
  // An error answer is traced too.
  Answer error = c.query("SELECT * FROM ks.missing", true);
  BOOST_TEST(std::holds_alternative<pr::ServerError>(error.response));
  require_traced(error);
  pr::Prepare p;
  p.query = "SELECT v FROM ks.t WHERE k = ?";
  Answer prepared = c.send(p, true);
  require_traced(prepared);
  // OPTIONS is not traceable (Message.Request.isTraceable): no id even when asked.
  Answer options = c.send(pr::Options{}, true);
  BOOST_TEST((options.header.flags & pr::kFlagTracing) == 0);
  BOOST_TEST(!options.tracing_id.has_value());
}

BOOST_AUTO_TEST_CASE(the_session_and_its_events_read_back_from_system_traces) {
  TracedConnection c;
  c.ok(
      "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}");
  c.ok("CREATE TABLE ks.t (k int PRIMARY KEY, v text)");
  c.ok("INSERT INTO ks.t (k, v) VALUES (1, 'a')");
  Answer a = c.query("SELECT v FROM ks.t WHERE k = 1", true);
  require_traced(a);
  const std::string id = uuid_text(*a.tracing_id);
  json::array s = c.select(
      "SELECT client, command, coordinator, coordinator_port, parameters, request "
      "FROM system_traces.sessions WHERE session_id = " +
      id);
  BOOST_REQUIRE_EQUAL(s.size(), 1u);
  BOOST_TEST(s[0] == parse_json(R"(["127.0.0.9", "QUERY", "127.0.0.1", 7000,
      {"consistency_level": "ONE", "page_size": "100",
       "query": "SELECT v FROM ks.t WHERE k = 1", "serial_consistency_level": "SERIAL"},
      "Execute CQL3 query"])"));
  json::array d = c.select(
      "SELECT duration, started_at FROM system_traces.sessions "
      "WHERE session_id = " +
      id);
  BOOST_TEST(d[0].as_array()[0].as_int64() >= 0);
  json::array e = c.select(
      "SELECT activity, source, source_port, thread "
      "FROM system_traces.events WHERE session_id = " +
      id);
  BOOST_TEST(e == parse_json(R"([
      ["Parsing SELECT v FROM ks.t WHERE k = 1", "127.0.0.1", 7000, "Native-Transport-Requests-1"],
      ["Preparing statement", "127.0.0.1", 7000, "Native-Transport-Requests-1"],
      ["Executing single-partition query on t", "127.0.0.1", 7000, "ReadStage-2"],
      ["Acquiring sstable references", "127.0.0.1", 7000, "ReadStage-2"],
      ["Merged data from memtables and 0 sstables", "127.0.0.1", 7000, "ReadStage-2"],
      ["Read 1 live rows and 0 tombstone cells", "127.0.0.1", 7000, "ReadStage-2"]])"));
}

// A text batch traces its writes as a BATCH request's are traced: StorageProxy's and
// Keyspace.applyInternal's events, one memtable per table.
BOOST_AUTO_TEST_CASE(a_traced_text_batch_records_its_writes) {
  TracedConnection c;
  c.ok(
      "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}");
  c.ok("CREATE TABLE ks.t (k int PRIMARY KEY, v text)");
  c.ok("CREATE TABLE ks.u (k int PRIMARY KEY, v text)");
  Answer a = c.query(
      "BEGIN BATCH INSERT INTO ks.t (k, v) VALUES (1, 'a') INSERT INTO ks.u (k, v) VALUES (1, "
      "'b') APPLY BATCH",
      true);
  require_traced(a);
  json::array e = c.select("SELECT activity FROM system_traces.events WHERE session_id = " +
                           uuid_text(*a.tracing_id));
  BOOST_REQUIRE_GE(e.size(), 4u);
  json::array last(e.end() - 4, e.end());
  BOOST_TEST(last == parse_json(R"([["Determining replicas for mutation"],
      ["Appending to commitlog"], ["Adding to t memtable"], ["Adding to u memtable"]])"));
}

BOOST_AUTO_TEST_SUITE_END()
