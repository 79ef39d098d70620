// The driver compliance suite: the behaviour every nosqlc driver must have, as Boost.Test
// cases that any driver's test runner registers with one call.
#pragma once

#include <nosqlc/nosql/client.hpp>

#include <asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <string>

namespace nosqlc::compliance {

// Opens a fresh, open client of the driver under test. Called once per case (and again when
// a case needs a second client or cleanup after closing its own).
using ClientFactory = std::function<asio::awaitable<std::shared_ptr<Client>>()>;

// Adds the suite "compliance_<driver_name>" to Boost.Test's master suite. Call it before the
// test tree runs: from a static object's constructor in the runner, or an init hook.
// Each case uses collections whose names are unique per case and per run, so drivers that
// keep data between runs (Cassandra) start every case empty; a case deletes the documents
// it created and closes its clients.
void register_compliance_suite(const std::string& driver_name, ClientFactory factory);

}  // namespace nosqlc::compliance
