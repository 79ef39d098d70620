// The Cassandra driver's limits and what it does at them: the document depth shared with
// every driver, the size limit checked before anything is sent, rows another tool wrote that
// are not documents, numbers stored as people write them, and no table made by accident.
#include "cassandra_fixture.hpp"

using namespace cassandra_test;
using nosqlc::Document;
using nosqlc::errc;
using nosqlc::Filter;

namespace {

std::string keyspace_of(const std::string& url) {
  return nosqlc::cassandra::parse_url(url).keyspace;
}

// {"a":{"a":...{"a":1}}}, `depth` objects deep, as JSON text.
std::string nested_text(std::size_t depth) {
  std::string s;
  for (std::size_t i = 0; i < depth; ++i)
    s += "{\"a\":";
  s += "1";
  s.append(depth, '}');
  return s;
}

// The `data` cell at `key`, as the table holds it.
asio::awaitable<std::optional<std::string>> raw_data(pr::Session& raw, const std::string& table,
                                                     const std::string& key) {
  pr::Bytes k(key.begin(), key.end());
  std::vector<pr::Value> values{pr::Value::of(pr::BytesView(k))};
  auto r = co_await raw.query("SELECT data FROM " + table + " WHERE pk = ?", values);
  if (!r.rows() || r.rows()->row_count == 0) co_return std::nullopt;
  auto cell = (*r.rows()->rows().begin())[0];
  if (!cell) co_return std::nullopt;
  co_return std::string(reinterpret_cast<const char*>(cell->data()), cell->size());
}

template <class T>
bool is(const nosqlc::Outcome<T>& r, errc e) {
  return r.error == nosqlc::make_error_code(e);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cassandra_limits)

// Issue 12 item 3: a row whose data is not a document (another tool wrote it) names its key,
// and FindOptions::skip_unreadable passes over it, counted, instead of failing every scan.
BOOST_AUTO_TEST_CASE(an_unreadable_row_names_its_key_and_can_be_skipped) {
  Database db;
  std::string url = db.url(fresh_keyspace("badrow"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("items");
    for (int i = 0; i < 5; ++i)
      co_await col.store("good-" + std::to_string(i), doc(R"({"ok":true})"));
    auto raw = co_await raw_session(url);
    const std::string table = keyspace_of(url) + ".items";
    co_await raw->query("INSERT INTO " + table + " (pk, data) VALUES ('bad-text', 'not json')");
    co_await raw->query("INSERT INTO " + table + " (pk, data) VALUES ('bad-array', '[1,2]')");
    // Deeper than every driver reads: stored by a tool that checks nothing.
    co_await raw->query("INSERT INTO " + table + " (pk, data) VALUES ('bad-deep', '" +
                        nested_text(nosqlc::kMaxDocumentDepth + 1) + "')");

    auto got = co_await nosqlc::attempt(col.get("bad-text"));
    BOOST_TEST(is(got, errc::unreadable_document), got.message);
    BOOST_TEST(got.message.find("\"bad-text\"") != std::string::npos, got.message);
    auto patched = co_await nosqlc::attempt(col.update("bad-deep", doc(R"({"x":1})")));
    BOOST_TEST(is(patched, errc::unreadable_document), patched.message);

    // By default a scan fails, naming the key; it never drops the row silently.
    auto cursor = co_await col.find();
    auto all = co_await nosqlc::attempt(cursor.documents());
    BOOST_TEST(is(all, errc::unreadable_document), all.message);
    BOOST_TEST(all.message.find("\"bad-") != std::string::npos, all.message);

    nosqlc::FindOptions skip;
    skip.skip_unreadable = true;
    auto skipping = co_await col.find(nosqlc::filter::Ast{}, skip);
    auto docs = co_await skipping.documents();
    BOOST_TEST(docs.size() == 5u);
    BOOST_TEST(skipping.skipped() == 3u);
    // The key pushdown path skips the same way.
    json::array keys{"good-1", "bad-text", "bad-array"};  // not inside co_await (g++ 12)
    auto by_key = co_await col.find(Filter::where("_id").in_(keys).build(), skip);
    BOOST_TEST((co_await by_key.documents()).size() == 1u);
    BOOST_TEST(by_key.skipped() == 2u);
    co_await raw->close();
    co_await client->close();
  }());
}

// Issue 12 item 2: the depth that stores is the depth that reads back, through get and find.
BOOST_AUTO_TEST_CASE(the_deepest_document_stored_reads_back) {
  Database db;
  std::string url = db.url(fresh_keyspace("depth"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("deep");
    Document deepest = *nosqlc::parse_document_text(nested_text(nosqlc::kMaxDocumentDepth));
    co_await col.store("k", deepest);
    auto got = co_await col.get("k");
    BOOST_REQUIRE(got.has_value());
    got->erase("_id");
    BOOST_TEST((*got == deepest));
    auto cursor = co_await col.find();
    BOOST_TEST((co_await cursor.documents()).size() == 1u);
    // One level more: built by hand, as no parser at the limit reads it.
    Document deeper{{"a", deepest}};
    auto deeper_stored = co_await nosqlc::attempt(col.store("k2", deeper));
    BOOST_TEST(is(deeper_stored, errc::invalid_argument), deeper_stored.message);
    BOOST_TEST(!(co_await col.get("k2")).has_value());
    co_await client->close();
  }());
}

// Issue 12 item 4: sizes are checked before anything is sent, the update included (its
// compare-and-set carries the old and the new text), and the limit is a URL option.
BOOST_AUTO_TEST_CASE(documents_over_the_size_limit_are_refused_before_sending) {
  Database db;
  if (!db.sandbox()) return;  // counts the statements the server ran
  std::string url = db.url(fresh_keyspace("size"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("big");
    const std::string table = keyspace_of(url) + ".big";
    const std::string insert = "INSERT INTO " + table + " (pk, data) VALUES (?, ?)";
    const std::string cas = "UPDATE " + table + " SET data = ? WHERE pk = ? IF data = ?";
    // {"s":"xxx..."} of exactly `bytes` bytes of JSON.
    auto sized = [](std::size_t bytes) { return Document{{"s", std::string(bytes - 8, 'x')}}; };
    const std::size_t limit = nosqlc::cassandra::kDefaultMaxDocumentBytes;
    co_await col.store("at-limit", sized(limit));
    BOOST_TEST(db.server->times_run(insert) == 1u);
    auto over = co_await nosqlc::attempt(col.store("over", sized(limit + 1)));
    BOOST_TEST(is(over, errc::invalid_argument), over.message);
    BOOST_TEST(over.message.find(std::to_string(limit + 1)) != std::string::npos, over.message);
    BOOST_TEST(over.message.find(std::to_string(limit)) != std::string::npos, over.message);
    BOOST_TEST(db.server->times_run(insert) == 1u);  // nothing sent

    // The largest document updates: both texts fit one frame (the 9,000,000-byte documents
    // of the issue never could).
    // Documents are built outside co_await expressions (g++ 12's braced-list bug).
    Document same_size{{"s", std::string(limit - 8, 'y')}};
    co_await col.update("at-limit", same_size);
    auto got = co_await col.get("at-limit");
    BOOST_REQUIRE(got.has_value());
    BOOST_TEST(got->at("s").as_string().front() == 'y');
    BOOST_TEST(db.server->times_run(cas) == 1u);
    // A patch that would grow it past the limit: refused before the compare-and-set.
    Document more{{"more", 1}};
    auto grown = co_await nosqlc::attempt(col.update("at-limit", more));
    BOOST_TEST(is(grown, errc::invalid_argument), grown.message);
    BOOST_TEST(grown.message.find("updated document") != std::string::npos, grown.message);
    BOOST_TEST(db.server->times_run(cas) == 1u);
    auto big_patch = co_await nosqlc::attempt(col.update("at-limit", sized(limit + 1)));
    BOOST_TEST(is(big_patch, errc::invalid_argument), big_patch.message);
    co_await client->close();

    // A smaller limit from the URL.
    auto small = co_await nosqlc::DriverManager::get_client(url + "?max_document_bytes=100");
    auto refused = co_await nosqlc::attempt(small->get_collection("big").store("s", sized(101)));
    BOOST_TEST(is(refused, errc::invalid_argument), refused.message);
    co_await small->get_collection("big").store("s", sized(100));
    // A stored document over this client's limit cannot be updated by it, even by a patch that
    // shrinks it: the compare-and-set would send it back. Refused after the read, before the
    // compare-and-set.
    Document tiny{{"s", "t"}};
    auto stored_big =
        co_await nosqlc::attempt(small->get_collection("big").update("at-limit", tiny));
    BOOST_TEST(is(stored_big, errc::invalid_argument), stored_big.message);
    BOOST_TEST(stored_big.message.find("stored document") != std::string::npos, stored_big.message);
    BOOST_TEST(stored_big.message.find(std::to_string(limit)) != std::string::npos,
               stored_big.message);
    BOOST_TEST(db.server->times_run(cas) == 1u);
    co_await small->close();
  }());
}

// Issue 12 item 13: the stored text has the numbers as people wrote them.
BOOST_AUTO_TEST_CASE(numbers_are_stored_as_people_write_them) {
  Database db;
  std::string url = db.url(fresh_keyspace("numbers"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("prices");
    Document prices{{"price", 11.95}, {"ratio", 0.1}, {"qty", 3}, {"w", 2.0}};
    co_await col.store("p", prices);
    auto raw = co_await raw_session(url);
    auto text = co_await raw_data(*raw, keyspace_of(url) + ".prices", "p");
    BOOST_REQUIRE(text.has_value());
    BOOST_TEST(*text == R"({"price":11.95,"ratio":0.1,"qty":3,"w":2.0})");
    Document patch{{"price", 12.5}};
    co_await col.update("p", patch);
    text = co_await raw_data(*raw, keyspace_of(url) + ".prices", "p");
    BOOST_TEST(*text == R"({"price":12.5,"ratio":0.1,"qty":3,"w":2.0})");
    co_await raw->close();
    co_await client->close();
  }());
}

// Issue 12 item 14: auto_create=false makes no keyspace and no table; what is missing is
// collection_not_found, naming it.
BOOST_AUTO_TEST_CASE(without_auto_create_a_missing_table_is_an_error_not_a_new_table) {
  Database db;
  const std::string ks = fresh_keyspace("noauto");
  run([&]() -> asio::awaitable<void> {
    auto missing_ks = co_await nosqlc::attempt(
        nosqlc::DriverManager::get_client(db.url(ks, "auto_create=false")));
    BOOST_TEST(is(missing_ks, errc::collection_not_found), missing_ks.message);
    BOOST_TEST(missing_ks.message.find(ks) != std::string::npos, missing_ks.message);

    auto creator = co_await nosqlc::DriverManager::get_client(db.url(ks));
    co_await creator->get_collection("orders").store("o1", doc(R"({"n":1})"));
    co_await creator->close();

    auto client = co_await nosqlc::DriverManager::get_client(db.url(ks, "auto_create=false"));
    auto typo = co_await nosqlc::attempt(client->get_collection("ordres").get("o1"));
    BOOST_TEST(is(typo, errc::collection_not_found), typo.message);
    BOOST_TEST(typo.message.find("\"ordres\"") != std::string::npos, typo.message);
    auto cursor = co_await nosqlc::attempt(client->get_collection("ordres").find());
    BOOST_TEST(is(cursor, errc::collection_not_found), cursor.message);
    auto names = co_await client->collection_names();
    BOOST_TEST((names == std::vector<std::string>{"orders"}));  // no table made
    auto got = co_await client->get_collection("orders").get("o1");
    BOOST_TEST(got.has_value());
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_SUITE_END()
