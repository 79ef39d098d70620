// The typed AST of the CQL subset the sandbox understands. The parser builds it and checks
// only syntax; the executor decides what is supported (which relations, which columns) and
// reports Cassandra's Invalid errors. Names are already case-folded: unquoted identifiers in
// lower case, quoted ones as written.
#pragma once

#include "nosqlc/protocol/types.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nosqlc::sandbox::cql {

// [keyspace.]name
struct QualifiedName {
  std::optional<std::string> keyspace;
  std::string name;
  bool operator==(const QualifiedName&) const = default;
};

// ---- Terms ----

struct Constant {
  enum class Kind { string, integer, float_, boolean, uuid, blob, duration, null, nan, infinity };
  Kind kind = Kind::null;
  // string: the unescaped content; integer, float_: as written (sign included); boolean:
  // "true" or "false"; uuid: as written; blob: "0x..." as written; nan: "NaN"; infinity:
  // "Infinity" or "-Infinity"; null: empty.
  std::string text;
  bool operator==(const Constant&) const = default;
};

// ? or :name. `index` numbers all markers of a statement from 0 in order of appearance.
struct BindMarker {
  int index = 0;
  std::optional<std::string> name;
  bool operator==(const BindMarker&) const = default;
};

struct Term;

// [a, b], {a, b} or {k: v, ...}; `{}` is an empty map (Cassandra types it by its receiver).
struct CollectionLiteral {
  enum class Kind { list, set, map };
  Kind kind = Kind::list;
  std::vector<Term> elements;                  // list and set
  std::vector<std::pair<Term, Term>> entries;  // map
  // Defined below, once Term is complete: clang 14 instantiates pair<Term, Term> for the
  // implicit ones here and fails.
  CollectionLiteral();
  CollectionLiteral(const CollectionLiteral&);
  CollectionLiteral(CollectionLiteral&&) noexcept;
  CollectionLiteral& operator=(const CollectionLiteral&);
  CollectionLiteral& operator=(CollectionLiteral&&) noexcept;
  ~CollectionLiteral();
  bool operator==(const CollectionLiteral&) const;
};

// (a, b, ...) in term position.
struct TupleLiteral {
  std::vector<Term> elements;
  bool operator==(const TupleLiteral&) const;
};

// name(args), e.g. now(), uuid(), totimestamp(now()). Names are case-folded identifiers.
struct FunctionCall {
  std::string name;
  std::vector<Term> args;
  bool operator==(const FunctionCall&) const;
};

struct Term {
  std::variant<Constant, BindMarker, CollectionLiteral, TupleLiteral, FunctionCall> value;
  bool operator==(const Term&) const = default;
};

inline CollectionLiteral::CollectionLiteral() = default;
inline CollectionLiteral::CollectionLiteral(const CollectionLiteral&) = default;
inline CollectionLiteral::CollectionLiteral(CollectionLiteral&&) noexcept = default;
inline CollectionLiteral& CollectionLiteral::operator=(const CollectionLiteral&) = default;
inline CollectionLiteral& CollectionLiteral::operator=(CollectionLiteral&&) noexcept = default;
inline CollectionLiteral::~CollectionLiteral() = default;

// Written out: clang 14 crashes on these mutually recursive comparisons when defaulted.
inline bool CollectionLiteral::operator==(const CollectionLiteral& o) const {
  return kind == o.kind && elements == o.elements && entries == o.entries;
}
inline bool TupleLiteral::operator==(const TupleLiteral& o) const {
  return elements == o.elements;
}
inline bool FunctionCall::operator==(const FunctionCall& o) const {
  return name == o.name && args == o.args;
}

// What a bind marker's value is for, so PREPARE can describe its type and name.
struct MarkerInfo {
  enum class Role {
    column,     // the column's value: INSERT values, SET col = ?, WHERE col = ?, IF col = ?
    in_values,  // WHERE col IN ?: a list of the column's type
    element,    // an element of a list or set literal, or a map value, bound to `column`
    map_key,    // a key of a map literal bound to `column`
    token,      // token(...) <op> ?: a bigint ("partition key token" in Cassandra)
    limit,      // LIMIT ?: an int ("[limit]")
    ttl,        // USING TTL ?: an int ("[ttl]")
    timestamp,  // USING TIMESTAMP ?: a bigint ("[timestamp]")
    json,       // INSERT ... JSON ?: a text ("[json]")
    selection,  // in a SELECT list ("[selection]"), typed by where it stands
    other,      // anywhere else (function arguments, tuple components)
  };
  int index = 0;
  std::optional<std::string> name;  // for :name markers
  Role role = Role::column;
  std::string column;  // the receiving column; empty for token, limit, ttl, timestamp, other
  bool operator==(const MarkerInfo&) const = default;
};

// ---- Clauses ----

// WITH properties. Values are a constant's text, or a map literal of constants.
using PropertyValue = std::variant<std::string, std::map<std::string, std::string>>;
struct Property {
  std::string name;
  PropertyValue value;
  bool operator==(const Property&) const = default;
};

// USING TTL t AND TIMESTAMP ts; each term is an integer constant or a marker.
struct UsingClause {
  std::optional<Term> ttl;
  std::optional<Term> timestamp;
  bool operator==(const UsingClause&) const = default;
};

enum class Operator { eq, ne, lt, lte, gt, gte, in, contains, contains_key };

// `column op term`, `column IN (t1, ...)`, `column IN ?`, or `token(c1, ...) op term`.
struct Relation {
  std::vector<std::string> columns;  // one column, or the arguments of token()
  bool token = false;
  Operator op = Operator::eq;
  std::optional<Term> value;    // every form but IN with a parenthesized list
  std::vector<Term> in_values;  // IN (t1, ...)
  bool operator==(const Relation&) const = default;
};

// IF EXISTS, IF NOT EXISTS (INSERT only), or IF c1 op t1 AND ...
struct Conditions {
  enum class Kind { none, exists, not_exists, columns };
  Kind kind = Kind::none;
  std::vector<Relation> columns;
  bool operator==(const Conditions&) const = default;
};

// SET col = term | col = col + term | col = col - term | col = term + col | col[key] = term
struct Assignment {
  enum class Kind { set, add, subtract, prepend, set_element };
  std::string column;
  Kind kind = Kind::set;
  Term value;
  std::optional<Term> key;  // set_element
  bool operator==(const Assignment&) const = default;
};

// One item of a SELECT list, a tree as Cassandra's Selectable.Raw: a column, COUNT(*),
// writetime(c) or ttl(c), a function call (token(k), blobasint(v), max(v), toJson(v), ...),
// cast(x AS type), a term (a literal or a marker), `(type) x`, an arithmetic operation or
// `(x)`.
struct Selector {
  enum class Kind {
    column,      // `name`
    count_star,  // COUNT(*) or COUNT(1)
    writetime,   // writetime(name)
    ttl,         // ttl(name)
    function,    // name(args...); `name` case-folded, without a "system." prefix
    cast,        // cast(args[0] AS type)
    term,        // `term`
    hint,        // (type) args[0]
    operation,   // args[0] <name> args[1], name one of + - * / %; or -args[0] (one arg)
    parens,      // (args[0])
  };
  Kind kind = Kind::column;
  std::string name;
  std::vector<Selector> args;
  std::optional<Term> term;
  protocol::DataType type;  // cast, hint
  std::string text;         // term: as written; cast, hint: the type as written, lower case
  std::optional<std::string> alias;
  bool operator==(const Selector& o) const;
};

// Written out: the defaulted comparison of a type holding a vector of itself trips clang 14.
inline bool Selector::operator==(const Selector& o) const {
  return kind == o.kind && name == o.name && args == o.args && term == o.term && type == o.type &&
         text == o.text && alias == o.alias;
}

// ---- Statements ----

struct CreateKeyspace {
  std::string name;
  bool if_not_exists = false;
  std::map<std::string, std::string> replication;  // includes "class"
  std::optional<bool> durable_writes;
  std::vector<Property> other_properties;  // anything else in WITH, for the executor to reject
  bool operator==(const CreateKeyspace&) const = default;
};

// ALTER KEYSPACE ks WITH ...: what is not given stays.
struct AlterKeyspace {
  std::string name;
  std::map<std::string, std::string> replication;  // empty: not given
  std::optional<bool> durable_writes;
  std::vector<Property> other_properties;
  bool operator==(const AlterKeyspace&) const = default;
};

struct DropKeyspace {
  std::string name;
  bool if_exists = false;
  bool operator==(const DropKeyspace&) const = default;
};

struct Use {
  std::string keyspace;
  bool operator==(const Use&) const = default;
};

struct ColumnSpec {
  std::string name;
  protocol::DataType type;
  bool frozen = false;  // the type was written frozen<...>: DataType cannot say so
  bool is_static = false;
  // Why Cassandra refuses the type as written once it prepares it ("Non-frozen collections
  // are not allowed inside collections: list<list<int>>"), "" when it does not.
  std::string type_error;
  bool operator==(const ColumnSpec&) const = default;
};

struct CreateTable {
  QualifiedName table;
  bool if_not_exists = false;
  std::vector<ColumnSpec> columns;
  std::vector<std::string> partition_key;  // from `col type PRIMARY KEY` or PRIMARY KEY (...)
  std::vector<std::string> clustering;
  std::vector<Property> options;  // WITH ...: parsed, for the executor to ignore
  bool operator==(const CreateTable&) const = default;
};

// ALTER TABLE t ALTER c TYPE x | ADD c type[, ...] | DROP c[, ...] [USING TIMESTAMP n] |
// RENAME a TO b [AND ...] | WITH options | DROP COMPACT STORAGE.
struct AlterTable {
  enum class Kind { alter_type, add, drop, rename, options, drop_compact_storage };
  QualifiedName table;
  Kind kind = Kind::options;
  std::vector<ColumnSpec> added;
  std::vector<std::string> dropped;
  std::optional<std::int64_t> drop_timestamp;
  std::vector<std::pair<std::string, std::string>> renamed;
  std::vector<Property> options;
  bool operator==(const AlterTable&) const = default;
};

struct DropTable {
  QualifiedName table;
  bool if_exists = false;
  bool operator==(const DropTable&) const = default;
};

struct Truncate {
  QualifiedName table;
  bool operator==(const Truncate&) const = default;
};

struct Insert {
  QualifiedName table;
  std::vector<std::string> columns;
  std::vector<Term> values;  // as many as columns
  // INSERT INTO t JSON <json> [DEFAULT NULL | DEFAULT UNSET]: `columns` and `values` empty.
  std::optional<Term> json;
  bool json_default_unset = false;
  bool if_not_exists = false;
  UsingClause using_;
  bool operator==(const Insert&) const = default;
};

struct Update {
  QualifiedName table;
  UsingClause using_;
  std::vector<Assignment> assignments;
  std::vector<Relation> where;
  Conditions conditions;
  bool operator==(const Update&) const = default;
};

struct Delete {
  std::vector<std::string> columns;  // empty: the whole row
  QualifiedName table;
  UsingClause using_;  // TIMESTAMP only
  std::vector<Relation> where;
  Conditions conditions;
  bool operator==(const Delete&) const = default;
};

struct Select {
  bool json = false;  // SELECT JSON
  bool distinct = false;
  bool star = false;  // SELECT *: `selectors` is empty
  std::vector<Selector> selectors;
  QualifiedName table;
  std::vector<Relation> where;
  std::optional<Term> limit;
  bool allow_filtering = false;
  bool operator==(const Select&) const = default;
};

// BEGIN [UNLOGGED | COUNTER] BATCH [USING ...] statement [;] ... APPLY BATCH. Its statements'
// markers are numbered across the whole batch.
struct Batch {
  enum class Type { logged, unlogged, counter };
  Type type = Type::logged;
  UsingClause using_;
  std::vector<std::variant<Insert, Update, Delete>> statements;
  bool operator==(const Batch&) const = default;
};

// DESCRIBE (or DESC) as Cassandra 4.0's Parser.g describeStatement reads it, then maybe WITH
// INTERNALS. `keyspace` and `name` are the element's, as written (case-folded); a form without
// a name leaves it empty, KEYSPACE without a name leaves `keyspace` empty.
struct Describe {
  enum class Kind {
    cluster,
    schema,  // [FULL] SCHEMA: `full` includes the system keyspaces
    keyspaces,
    keyspace,  // [ONLY] KEYSPACE [ks]: `only` leaves out its tables
    tables,
    table,  // TABLE | COLUMNFAMILY [ks.]name
    index,  // INDEX [ks.]name
    view,   // MATERIALIZED VIEW [ks.]name
    types,
    type,  // TYPE [ks.]name
    functions,
    function,  // FUNCTION [ks.]name
    aggregates,
    aggregate,  // AGGREGATE [ks.]name
    generic,    // [ks.]name: a keyspace, else a table (index, view) of the keyspace
  };
  Kind kind = Kind::cluster;
  std::optional<std::string> keyspace;
  std::string name;
  bool full = false;
  bool only = false;
  bool with_internals = false;
  bool operator==(const Describe&) const = default;
};

using Statement =
    std::variant<CreateKeyspace, DropKeyspace, Use, CreateTable, AlterTable, DropTable, Truncate,
                 Insert, Update, Delete, Select, Batch, Describe, AlterKeyspace>;

// A parsed statement and its bind markers, in order (markers[i].index == i).
struct ParsedStatement {
  Statement statement;
  std::vector<MarkerInfo> markers;
};

}  // namespace nosqlc::sandbox::cql
