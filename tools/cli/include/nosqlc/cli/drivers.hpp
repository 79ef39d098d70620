// The drivers the nosqlc tool can open. drivers.cpp is the one place that includes driver
// headers: add a driver (e.g. <nosqlc/nosql/cassandra.hpp>) there.
#pragma once

namespace nosqlc::cli {

// Makes sure every driver the tool ships with is registered with DriverManager (idempotent).
// run() calls it, which also keeps drivers.cpp, with its registrars, in static links.
void register_drivers();

}  // namespace nosqlc::cli
