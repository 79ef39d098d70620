#include "cassandra_client.hpp"

#include "cassandra_collection.hpp"
#include "cql_values.hpp"
#include "error_mapping.hpp"
#include "nosqlc/nosql/cassandra.hpp"
#include "nosqlc/nosql/errors.hpp"
#include "nosqlc/nosql/url.hpp"

#include <nosqlc/protocol/keywords.hpp>
#include <nosqlc/protocol/value_forms.hpp>

#include <asio/this_coro.hpp>

#include <algorithm>
#include <cctype>

namespace nosqlc::cassandra {
namespace {

namespace pr = nosqlc::protocol;

constexpr auto kSchemaAgreementWait = std::chrono::seconds(10);

// Creates the keyspace unless it exists. Looking first spares users without CREATE
// permission, which Cassandra checks even for IF NOT EXISTS.
asio::awaitable<bool> ensure_keyspace(pr::Session& session, const CassandraUrl& u) {
  auto found = co_await session.query(
      "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?",
      values(text(u.keyspace)));
  if (found.rows() && found.rows()->row_count > 0) co_return false;
  if (!u.auto_create) {
    throw Error(errc::collection_not_found,
                "keyspace \"" + u.keyspace + "\" does not exist (the URL says auto_create=false)");
  }
  co_await session.query("CREATE KEYSPACE IF NOT EXISTS " + u.keyspace +
                         " WITH replication = " + replication_cql(u.replication));
  co_return true;
}

}  // namespace

CassandraClient::CassandraClient(std::string url, CassandraUrl config,
                                 std::shared_ptr<protocol::Session> session)
    : Client(std::move(url)), config_(std::move(config)), session_(std::move(session)) {}

CassandraClient::~CassandraClient() {
  // The collections' timers belong to the session's event loop, and the base class would
  // destroy them after this class's members: drop them first.
  drop_collections();
  session_.reset();
}

std::unique_ptr<Collection> CassandraClient::make_collection(std::string name) {
  if (protocol::is_reserved_keyword(name)) {
    throw Error(errc::invalid_argument, "invalid collection name \"" + name +
                                            "\": a reserved CQL keyword cannot name a table");
  }
  return std::make_unique<CassandraCollection>(*this, std::move(name));
}

std::string CassandraClient::normalize_name(std::string_view name) const {
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

asio::awaitable<void> CassandraClient::after_schema_change() {
  co_await session_->wait_for_schema_agreement(kSchemaAgreementWait);
}

asio::awaitable<std::vector<std::string>> CassandraClient::do_collection_names() {
  std::vector<std::string> names;
  try {
    auto r = co_await session_->query(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?",
        values(text(config_.keyspace)));
    if (const auto* rows = r.rows()) {
      for (auto row : rows->rows()) {
        if (auto cell = row[0]) names.emplace_back(as_text(*cell));
      }
    }
  } catch (...) {
    rethrow_as_nosqlc();
  }
  std::sort(names.begin(), names.end());
  co_return names;
}

Metrics CassandraClient::metrics() const {
  return session_->metrics();
}

asio::awaitable<Trace> CassandraClient::read_trace(std::string id,
                                                   std::chrono::milliseconds max_wait) {
  pr::Uuid uuid{};
  if (!pr::parse_uuid(id, uuid).ok()) {
    throw Error(errc::invalid_argument, "invalid trace id \"" + id + "\": not a UUID");
  }
  co_return co_await translated(session_->read_trace(uuid, max_wait));
}

asio::awaitable<void> CassandraClient::do_close() {
  co_await translated(session_->close());
}

std::optional<Document> parse_document(std::string_view key, std::string_view data) {
  auto doc = parse_document_text(data);
  if (doc) (*doc)["_id"] = key;
  return doc;
}

Document read_document(std::string_view key, std::string_view data) {
  auto doc = parse_document(key, data);
  if (!doc) throw Error(errc::unreadable_document, unreadable_message(key));
  return std::move(*doc);
}

std::string unreadable_message(std::string_view key) {
  return "the stored document at key \"" + std::string(key) +
         "\" is not a JSON object nested at most " + std::to_string(kMaxDocumentDepth) + " deep";
}

}  // namespace nosqlc::cassandra

namespace nosqlc {

std::shared_ptr<protocol::Session> cassandra_session(Client& client) {
  auto* c = dynamic_cast<cassandra::CassandraClient*>(&client);
  if (c == nullptr) {
    throw Error(errc::invalid_argument,
                "not a Cassandra client: \"" + redact_url(client.url()) + "\"");
  }
  client.check_open();
  return c->shared_session();
}

std::shared_ptr<Driver> CassandraDriver::instance() {
  static const auto driver = std::make_shared<CassandraDriver>();
  return driver;
}

bool CassandraDriver::accepts_url(std::string_view url) const noexcept {
  auto parts = split_url(url);
  return parts && parts->driver == "cassandra";
}

asio::awaitable<std::shared_ptr<Client>> CassandraDriver::connect(std::string url,
                                                                  Properties properties) {
  return connect_observed(std::move(url), std::move(properties), {});
}

asio::awaitable<std::shared_ptr<Client>> CassandraDriver::connect_observed(
    std::string url, Properties properties, ClientObservers observers) {
  using namespace cassandra;
  CassandraUrl config = parse_url(url);
  pr::SessionOptions options = session_options(config, properties);
  options.log_sink = std::move(observers.log_sink);
  if (observers.log_level) options.log_level = observers.log_level;  // else the URL's
  options.tracker = std::move(observers.tracker);
  // With io_threads = 0 the connections run on the caller's executor (behind a strand).
  std::shared_ptr<protocol::Session> session = co_await translated(
      protocol::Session::connect(co_await asio::this_coro::executor, std::move(options)));
  try {
    if (co_await ensure_keyspace(*session, config)) {
      co_await session->wait_for_schema_agreement(std::chrono::seconds(10));
    }
  } catch (...) {
    rethrow_as_nosqlc();
  }
  co_return std::make_shared<CassandraClient>(std::move(url), std::move(config),
                                              std::move(session));
}

}  // namespace nosqlc
