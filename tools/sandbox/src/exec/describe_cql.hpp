// Internal: the CQL text DESCRIBE prints for a keyspace and a table, as Cassandra 4.0 writes it
// (KeyspaceMetadata.toCqlString, ReplicationParams.appendCqlTo, TableMetadata.appendCqlTo,
// TableParams.appendCqlTo, CqlBuilder).
#pragma once

#include "system/schema_views.hpp"

#include <string>
#include <string_view>

namespace nosqlc::sandbox::detail {

// A name as CQL text (ColumnIdentifier.maybeQuote): as it is when it is a lower-case
// identifier and not a reserved keyword, else in double quotes, doubling those inside.
std::string cql_name(std::string_view name);

// CREATE KEYSPACE ...; or, for a virtual keyspace, its structure in a comment.
std::string keyspace_cql(const systables::KeyspaceView& ks, bool is_virtual);

// CREATE TABLE ks.t (...) WITH ...; (a virtual table's in a comment). `internals` (WITH
// INTERNALS) adds the table's ID and its dropped columns, each dropped again by an ALTER TABLE
// ... DROP ... USING TIMESTAMP (and added back when a column of that name exists again).
std::string table_cql(const std::string& keyspace, const systables::TableView& t, bool internals);

}  // namespace nosqlc::sandbox::detail
