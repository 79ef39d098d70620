#include "nosqlc/nosql/collection.hpp"

#include "nosqlc/nosql/client.hpp"
#include "nosqlc/nosql/errors.hpp"
#include "nosqlc/nosql/uuid.hpp"

#include <algorithm>
#include <cctype>

namespace nosqlc {
namespace {

void check_key(std::string_view key) {
  if (key.empty()) throw Error(errc::invalid_argument, "invalid key: a key must not be empty");
}

// The settings a call's kind cannot take, refused the same way for every driver.
void check_call(const CallOptions& o, const char* op, bool writes, bool takes_timestamp) {
  if (!o.ttl && !o.timestamp && !o.deadline && !o.serial_consistency) return;  // the usual call
  if (o.ttl && !writes) {
    throw Error(errc::invalid_argument, std::string("ttl applies to writes, not to ") + op + "()");
  }
  if (o.ttl && o.ttl->count() < 1) {
    throw Error(errc::invalid_argument,
                "invalid ttl: must be at least 1 second, not " + std::to_string(o.ttl->count()));
  }
  if (o.timestamp && !takes_timestamp) {
    throw Error(errc::invalid_argument,
                std::string("timestamp applies to store, insert and delete, not to ") + op + "()" +
                    (std::string_view(op) == "update"
                         ? " (a compare-and-set, which the database timestamps itself)"
                         : ""));
  }
  if (o.deadline && o.deadline->count() <= 0) {
    throw Error(errc::invalid_argument, "invalid deadline: must be positive");
  }
  if (o.serial_consistency && *o.serial_consistency != Consistency::serial &&
      *o.serial_consistency != Consistency::local_serial) {
    throw Error(errc::invalid_argument,
                "invalid serial_consistency: must be SERIAL or LOCAL_SERIAL, not " +
                    std::string(to_string(*o.serial_consistency)));
  }
}

[[noreturn]] void unsupported(const char* op) {
  throw Error(errc::unsupported_operation, std::string(op) + "() is not supported by this driver");
}

constexpr std::pair<Consistency, std::string_view> kConsistencyNames[] = {
    {Consistency::any, "ANY"},
    {Consistency::one, "ONE"},
    {Consistency::two, "TWO"},
    {Consistency::three, "THREE"},
    {Consistency::quorum, "QUORUM"},
    {Consistency::all, "ALL"},
    {Consistency::local_quorum, "LOCAL_QUORUM"},
    {Consistency::each_quorum, "EACH_QUORUM"},
    {Consistency::serial, "SERIAL"},
    {Consistency::local_serial, "LOCAL_SERIAL"},
    {Consistency::local_one, "LOCAL_ONE"},
};

}  // namespace

std::optional<Consistency> parse_consistency(std::string_view name) noexcept {
  for (const auto& [c, n] : kConsistencyNames) {
    if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
          return a == std::toupper(static_cast<unsigned char>(b));
        })) {
      return c;
    }
  }
  return std::nullopt;
}

std::string_view to_string(Consistency c) noexcept {
  for (const auto& [k, n] : kConsistencyNames) {
    if (k == c) return n;
  }
  return "?";
}

void Collection::check_open() const {
  client_.check_open();
}

// The public operations are not coroutines themselves: each copies its arguments into the
// frame of a coroutine (a captureless lambda, which has the member's access) before returning.
// A coroutine taking string_view or const& would keep a reference to the caller's temporary,
// which dangles when the awaitable is stored and awaited later (e.g. run concurrently).

asio::awaitable<std::optional<Document>> Collection::get(std::string_view key,
                                                         CallOptions options) {
  return [](Collection& self, std::string k,
            CallOptions o) -> asio::awaitable<std::optional<Document>> {
    self.check_open();
    check_key(k);
    check_call(o, "get", false, false);
    co_return co_await self.do_get(std::move(k), o);
  }(*this, std::string(key), options);
}

asio::awaitable<void> Collection::store(std::string_view key, Document doc, CallOptions options) {
  return [](Collection& self, std::string k, Document d, CallOptions o) -> asio::awaitable<void> {
    self.check_open();
    check_key(k);
    check_document(d);
    check_call(o, "store", true, true);
    co_await self.do_store(std::move(k), std::move(d), o);
  }(*this, std::string(key), std::move(doc), options);
}

asio::awaitable<void> Collection::del(std::string_view key, CallOptions options) {
  return [](Collection& self, std::string k, CallOptions o) -> asio::awaitable<void> {
    self.check_open();
    check_key(k);
    check_call(o, "delete", false, true);
    co_await self.do_del(std::move(k), o);
  }(*this, std::string(key), options);
}

asio::awaitable<std::string> Collection::insert(Document doc, CallOptions options) {
  check_open();
  check_document(doc);
  check_call(options, "insert", true, true);
  std::string key = uuid_v4();
  doc["_id"] = key;
  co_await do_insert(key, std::move(doc), options);
  co_return key;
}

asio::awaitable<void> Collection::update(std::string_view key, Document patch,
                                         CallOptions options) {
  return [](Collection& self, std::string k, Document p, CallOptions o) -> asio::awaitable<void> {
    self.check_open();
    check_key(k);
    check_document(p);
    check_call(o, "update", true, false);
    co_await self.do_update(std::move(k), std::move(p), o);
  }(*this, std::string(key), std::move(patch), options);
}

asio::awaitable<Cursor> Collection::find(const filter::Ast& filter, FindOptions options) {
  return [](Collection& self, filter::Ast f, FindOptions o) -> asio::awaitable<Cursor> {
    self.check_open();
    if (o.page_size && *o.page_size <= 0) {
      throw Error(errc::invalid_argument, "invalid page_size: must be positive");
    }
    co_return co_await self.do_find(f, o);
  }(*this, filter, options);
}

asio::awaitable<Cursor> Collection::find(const filter::Filter& filter, FindOptions options) {
  // Built now: the builder may be a temporary that is gone when the awaitable runs.
  return find(filter.build(), options);
}

asio::awaitable<std::optional<Document>> Collection::do_get(std::string, const CallOptions&) {
  unsupported("get");
}
asio::awaitable<void> Collection::do_store(std::string, Document, const CallOptions&) {
  unsupported("store");
}
asio::awaitable<void> Collection::do_del(std::string, const CallOptions&) {
  unsupported("delete");
}
asio::awaitable<void> Collection::do_insert(std::string, Document, const CallOptions&) {
  unsupported("insert");
}
asio::awaitable<void> Collection::do_update(std::string, Document, const CallOptions&) {
  unsupported("update");
}
asio::awaitable<Cursor> Collection::do_find(const filter::Ast&, FindOptions) {
  unsupported("find");
}

}  // namespace nosqlc
