#include "nosqlc/nosql/memory.hpp"

#include "nosqlc/nosql/client.hpp"
#include "nosqlc/nosql/errors.hpp"
#include "nosqlc/nosql/url.hpp"

#include <chrono>
#include <map>
#include <shared_mutex>

namespace nosqlc {
namespace {

constexpr std::size_t kBatchSize = 1000;

using Clock = std::chrono::steady_clock;

// A stored document and when it expires (CallOptions::ttl; max: never).
struct Entry {
  Document doc;
  Clock::time_point expires = Clock::time_point::max();
  bool live(Clock::time_point now) const { return now < expires; }
};

// One collection's documents, ordered by key so that a cursor can resume after a key. An
// expired document is invisible at once and erased by the next write of its key.
struct Store {
  std::shared_mutex mutex;
  std::map<std::string, Entry, std::less<>> docs;
};

Clock::time_point expiry(const CallOptions& o) {
  return o.ttl ? Clock::now() + *o.ttl : Clock::time_point::max();
}

// The memory driver has no replicas, no timestamps and no traces: a call asking for them is
// refused, not quietly run without them.
void check_supported(const CallOptions& o) {
  const char* what = o.consistency          ? "consistency"
                     : o.serial_consistency ? "serial_consistency"
                     : o.timestamp          ? "timestamp"
                     : o.trace              ? "trace"
                                            : nullptr;
  if (what != nullptr) {
    throw Error(errc::unsupported_operation,
                std::string("the memory driver has no ") + what + " to set");
  }
}

Document with_id(const Document& doc, const std::string& key) {
  Document out = doc;
  out["_id"] = key;
  return out;
}

// Reads the store in key order, one batch per call, so concurrent writers are never blocked
// for a whole scan and memory stays bounded by the batch.
class MemoryCursorSource final : public CursorSource {
 public:
  MemoryCursorSource(std::shared_ptr<Store> store, filter::Ast filter)
      : store_(std::move(store)), filter_(std::move(filter)) {}

  asio::awaitable<std::vector<Document>> next_batch() override {
    std::vector<Document> out;
    while (out.empty() && !done_)
      scan_some(out);
    co_return out;
  }

 private:
  // Scans at most a few batches' worth under one lock, even when few documents match.
  void scan_some(std::vector<Document>& out) {
    std::shared_lock lock(store_->mutex);
    auto it = started_ ? store_->docs.upper_bound(last_key_) : store_->docs.begin();
    started_ = true;
    const auto now = Clock::now();
    for (std::size_t scanned = 0;
         it != store_->docs.end() && out.size() < kBatchSize && scanned < 8 * kBatchSize;
         ++it, ++scanned) {
      last_key_ = it->first;
      if (!it->second.live(now)) continue;
      // Matched with "_id" set: in a filter, "_id" is the key, also for documents stored
      // without one.
      Document doc = with_id(it->second.doc, it->first);
      if (filter::matches(filter_, doc)) out.push_back(std::move(doc));
    }
    if (it == store_->docs.end()) done_ = true;
  }

  std::shared_ptr<Store> store_;
  filter::Ast filter_;
  std::string last_key_;
  bool started_ = false;
  bool done_ = false;
};

class MemoryCollection final : public Collection {
 public:
  MemoryCollection(Client& client, std::string name, std::shared_ptr<Store> store)
      : Collection(client, std::move(name)), store_(std::move(store)) {}

 protected:
  asio::awaitable<std::optional<Document>> do_get(std::string key,
                                                  const CallOptions& options) override {
    check_supported(options);
    std::shared_lock lock(store_->mutex);
    auto it = store_->docs.find(key);
    if (it == store_->docs.end() || !it->second.live(Clock::now())) co_return std::nullopt;
    co_return with_id(it->second.doc, key);
  }

  asio::awaitable<void> do_store(std::string key, Document doc,
                                 const CallOptions& options) override {
    check_supported(options);
    std::unique_lock lock(store_->mutex);
    store_->docs.insert_or_assign(std::move(key), Entry{std::move(doc), expiry(options)});
    co_return;
  }

  asio::awaitable<void> do_del(std::string key, const CallOptions& options) override {
    check_supported(options);
    std::unique_lock lock(store_->mutex);
    store_->docs.erase(key);
    co_return;
  }

  asio::awaitable<void> do_insert(std::string key, Document doc,
                                  const CallOptions& options) override {
    co_await do_store(std::move(key), std::move(doc), options);
  }

  asio::awaitable<void> do_update(std::string key, Document patch,
                                  const CallOptions& options) override {
    check_supported(options);
    std::unique_lock lock(store_->mutex);
    auto it = store_->docs.find(key);
    if (it == store_->docs.end() || !it->second.live(Clock::now())) {
      throw Error(errc::document_not_found, "key \"" + key + "\"");
    }
    for (auto& [field, value] : patch)
      it->second.doc[field] = std::move(value);
    // As the Cassandra driver's update, which rewrites the one cell: the document expires as
    // this call's ttl says (never without one).
    it->second.expires = expiry(options);
    co_return;
  }

  asio::awaitable<Cursor> do_find(const filter::Ast& filter, FindOptions options) override {
    if (options.resume_from) {
      throw Error(errc::invalid_argument,
                  "resume_from: the memory driver's scans have no resume position");
    }
    if (options.consistency || options.trace) {
      throw Error(errc::unsupported_operation, std::string("the memory driver has no ") +
                                                   (options.consistency ? "consistency" : "trace") +
                                                   " to set");
    }
    co_return Cursor(std::make_unique<MemoryCursorSource>(store_, filter), options.limit);
  }

 private:
  std::shared_ptr<Store> store_;
};

class MemoryClient final : public Client {
 public:
  explicit MemoryClient(std::string url) : Client(std::move(url)) {}

 protected:
  std::unique_ptr<Collection> make_collection(std::string name) override {
    return std::make_unique<MemoryCollection>(*this, std::move(name), std::make_shared<Store>());
  }
};

}  // namespace

std::shared_ptr<Driver> MemoryDriver::instance() {
  static const auto driver = std::make_shared<MemoryDriver>();
  return driver;
}

bool MemoryDriver::accepts_url(std::string_view url) const noexcept {
  auto parts = split_url(url);
  return parts && parts->driver == "memory";
}

asio::awaitable<std::shared_ptr<Client>> MemoryDriver::connect(std::string url, Properties) {
  auto parts = split_url(url);
  if (!parts || parts->driver != "memory") {
    throw Error(errc::invalid_url, "not a memory URL: \"" + redact_url(url) + "\"");
  }
  if (!parts->details.empty()) {
    throw Error(errc::invalid_url,
                "memory URL \"" + redact_url(url) + "\": nothing may follow \"memory:\"");
  }
  co_return std::make_shared<MemoryClient>(std::move(url));
}

}  // namespace nosqlc
