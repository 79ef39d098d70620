// The statements of the subset, and the public entry points.
#include "cql/parser.hpp"

#include "cql/parser_impl.hpp"

#include <algorithm>

namespace nosqlc::sandbox::cql {
namespace detail {

ParsedStatement Parser::statement() {
  ParsedStatement out;
  if (accept_keyword("create")) {
    if (at_keyword("keyspace") || at_keyword("schema")) {
      out.statement = create_keyspace();
    } else if (at_keyword("table") || at_keyword("columnfamily")) {
      out.statement = create_table();
    } else {
      fail_no_viable();
    }
  } else if (accept_keyword("alter")) {
    if (accept_keyword("keyspace") || accept_keyword("schema")) {
      AlterKeyspace ak;
      ak.name = identifier();
      expect_keyword("with");
      keyspace_properties(ak.replication, ak.durable_writes, ak.other_properties);
      out.statement = std::move(ak);
    } else {
      if (!at_keyword("table") && !at_keyword("columnfamily")) fail_no_viable();
      out.statement = alter_table();
    }
  } else if (accept_keyword("drop")) {
    bool keyspace = at_keyword("keyspace") || at_keyword("schema");
    if (!keyspace && !at_keyword("table") && !at_keyword("columnfamily")) fail_no_viable();
    advance();
    bool if_exists = false;
    if (accept_keyword("if")) {
      expect_keyword("exists");
      if_exists = true;
    }
    if (keyspace) {
      out.statement = DropKeyspace{identifier(), if_exists};
    } else {
      out.statement = DropTable{qualified_name(), if_exists};
    }
  } else if (accept_keyword("use")) {
    out.statement = Use{identifier()};
  } else if (accept_keyword("truncate")) {
    if (!accept_keyword("table")) accept_keyword("columnfamily");
    out.statement = Truncate{qualified_name()};
  } else if (at_keyword("insert")) {
    out.statement = insert();
  } else if (at_keyword("update")) {
    out.statement = update();
  } else if (at_keyword("delete")) {
    out.statement = delete_();
  } else if (at_keyword("select")) {
    out.statement = select();
  } else if (at_keyword("begin")) {
    out.statement = batch();
  } else if (at_keyword("describe") || at_keyword("desc")) {
    out.statement = describe();
  } else {
    fail_no_viable();
  }
  while (accept_symbol(";")) {
  }
  if (!at_end()) fail("extraneous input '" + display(peek()) + "' expecting EOF");
  out.markers = std::move(markers_);
  return out;
}

CreateKeyspace Parser::create_keyspace() {
  advance();  // KEYSPACE or SCHEMA
  CreateKeyspace ck;
  ck.if_not_exists = accept_if_not_exists();
  ck.name = identifier();
  expect_keyword("with");
  keyspace_properties(ck.replication, ck.durable_writes, ck.other_properties);
  return ck;
}

// A keyspace's WITH properties (KeyspaceAttributes): replication, durable_writes, the rest.
void Parser::keyspace_properties(std::map<std::string, std::string>& replication,
                                 std::optional<bool>& durable_writes,
                                 std::vector<Property>& others) {
  const Token& at = peek();
  for (Property& p : properties()) {
    if (p.name == "replication") {
      auto* m = std::get_if<std::map<std::string, std::string>>(&p.value);
      if (!m) throw SyntaxFailure{ParseError{at.pos, "replication must be a map"}};
      replication = std::move(*m);
    } else if (p.name == "durable_writes") {
      auto* s = std::get_if<std::string>(&p.value);
      std::string v = s ? *s : std::string();
      std::transform(v.begin(), v.end(), v.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (v != "true" && v != "false") {
        throw SyntaxFailure{ParseError{
            at.pos, "Invalid boolean value " + (s ? *s : "{...}") + " for 'durable_writes'"}};
      }
      durable_writes = v == "true";
    } else {
      others.push_back(std::move(p));
    }
  }
}

CreateTable Parser::create_table() {
  advance();  // TABLE or COLUMNFAMILY
  CreateTable ct;
  ct.if_not_exists = accept_if_not_exists();
  ct.table = qualified_name();
  expect_symbol("(");
  bool have_pk = false;
  column_definition(ct, have_pk);
  while (accept_symbol(",")) {
    if (at_symbol(")")) break;  // Cassandra accepts a trailing comma
    column_definition(ct, have_pk);
  }
  expect_symbol(")");
  if (accept_keyword("with")) table_options(ct);
  return ct;
}

// `name type [STATIC] [PRIMARY KEY]` or `PRIMARY KEY (pk | (pk, ...) [, clustering ...])`.
void Parser::column_definition(CreateTable& ct, bool& have_pk) {
  auto one_pk = [&] {
    if (have_pk) fail("Multiple PRIMARY KEYs specified (exactly one required)");
    have_pk = true;
  };
  if (at_keyword("primary")) {
    one_pk();
    advance();
    expect_keyword("key");
    expect_symbol("(");
    if (accept_symbol("(")) {
      ct.partition_key.push_back(identifier());
      while (accept_symbol(","))
        ct.partition_key.push_back(identifier());
      expect_symbol(")");
    } else {
      ct.partition_key.push_back(identifier());
    }
    while (accept_symbol(","))
      ct.clustering.push_back(identifier());
    expect_symbol(")");
    return;
  }
  ColumnSpec col;
  col.name = identifier();
  col.frozen = at_keyword("frozen");
  RawType raw = raw_type();
  col.type_error = nested_non_frozen_error(raw);
  col.type = std::move(raw.type);
  if (accept_keyword("static")) col.is_static = true;
  if (at_keyword("primary")) {
    one_pk();
    advance();
    expect_keyword("key");
    ct.partition_key.push_back(col.name);
  }
  ct.columns.push_back(std::move(col));
}

// WITH option [AND option ...]: properties, CLUSTERING ORDER BY (...), COMPACT STORAGE.
void Parser::table_options(CreateTable& ct) {
  do {
    if (accept_keyword("clustering")) {
      expect_keyword("order");
      expect_keyword("by");
      expect_symbol("(");
      std::string order;
      do {
        order += identifier();
        if (accept_keyword("asc")) {
          order += " ASC";
        } else if (accept_keyword("desc")) {
          order += " DESC";
        }
        if (at_symbol(",")) order += ", ";
      } while (accept_symbol(","));
      expect_symbol(")");
      ct.options.push_back(Property{"clustering_order", order});
    } else if (accept_keyword("compact")) {
      expect_keyword("storage");
      ct.options.push_back(Property{"compact_storage", std::string("true")});
    } else {
      const Token& at = peek();
      Property p = property();
      for (const Property& q : ct.options) {
        if (q.name == p.name) {
          throw SyntaxFailure{
              ParseError{at.pos, "Multiple definition for property '" + p.name + "'"}};
        }
      }
      ct.options.push_back(std::move(p));
    }
  } while (accept_keyword("and"));
}

// Parser.g's alterTableStatement (Cassandra 4.0: no IF EXISTS yet).
AlterTable Parser::alter_table() {
  advance();  // TABLE or COLUMNFAMILY
  AlterTable at;
  at.table = qualified_name();
  if (accept_keyword("alter")) {
    identifier();
    expect_keyword("type");
    raw_type();
    at.kind = AlterTable::Kind::alter_type;
  } else if (accept_keyword("add")) {
    at.kind = AlterTable::Kind::add;
    bool list = accept_symbol("(");
    do {
      ColumnSpec col;
      col.name = identifier();
      col.frozen = at_keyword("frozen");
      RawType raw = raw_type();
      col.type_error = nested_non_frozen_error(raw);
      col.type = std::move(raw.type);
      col.is_static = accept_keyword("static");
      at.added.push_back(std::move(col));
    } while (list && accept_symbol(","));
    if (list) expect_symbol(")");
  } else if (accept_keyword("drop")) {
    if (accept_keyword("compact")) {
      expect_keyword("storage");
      at.kind = AlterTable::Kind::drop_compact_storage;
      return at;
    }
    at.kind = AlterTable::Kind::drop;
    bool list = accept_symbol("(");
    do {
      at.dropped.push_back(identifier());
    } while (list && accept_symbol(","));
    if (list) expect_symbol(")");
    if (accept_keyword("using")) {
      expect_keyword("timestamp");
      const Token& t = peek();
      if (t.kind != TokenKind::integer) fail_no_viable();
      std::int64_t ts = 0;
      try {
        ts = std::stoll(t.text);
      } catch (const std::exception&) {
        fail_no_viable();
      }
      advance();
      at.drop_timestamp = ts;
    }
  } else if (accept_keyword("rename")) {
    at.kind = AlterTable::Kind::rename;
    do {
      std::string from = identifier();
      expect_keyword("to");
      at.renamed.emplace_back(std::move(from), identifier());
    } while (accept_keyword("and"));
  } else if (accept_keyword("with")) {
    at.kind = AlterTable::Kind::options;
    at.options = properties();
  } else {
    fail_no_viable();
  }
  return at;
}

// Parser.g's batchStatement: only INSERT, UPDATE and DELETE inside, each maybe followed by ';'.
Batch Parser::batch() {
  advance();  // BEGIN
  Batch b;
  if (accept_keyword("unlogged")) {
    b.type = Batch::Type::unlogged;
  } else if (accept_keyword("counter")) {
    b.type = Batch::Type::counter;
  }
  expect_keyword("batch");
  if (accept_keyword("using")) b.using_ = using_clause();
  while (!at_keyword("apply")) {
    if (at_keyword("insert")) {
      b.statements.emplace_back(insert());
    } else if (at_keyword("update")) {
      b.statements.emplace_back(update());
    } else if (at_keyword("delete")) {
      b.statements.emplace_back(delete_());
    } else {
      fail_expecting("K_APPLY");
    }
    accept_symbol(";");
  }
  advance();  // APPLY
  expect_keyword("batch");
  return b;
}

Insert Parser::insert() {
  advance();  // INSERT
  expect_keyword("into");
  Insert in;
  in.table = qualified_name();
  if (accept_keyword("json")) {
    const Token& t = peek();
    if (t.kind != TokenKind::string && t.kind != TokenKind::bind_marker &&
        t.kind != TokenKind::named_marker) {
      fail_no_viable();
    }
    in.json = constant_or_marker(MarkerContext{MarkerInfo::Role::json, {}});
    if (accept_keyword("default")) {
      if (accept_keyword("unset")) {
        in.json_default_unset = true;
      } else {
        expect_keyword("null");
      }
    }
    in.if_not_exists = accept_if_not_exists();
    if (accept_keyword("using")) in.using_ = using_clause();
    return in;
  }
  expect_symbol("(");
  in.columns.push_back(identifier());
  while (accept_symbol(","))
    in.columns.push_back(identifier());
  expect_symbol(")");
  expect_keyword("values");
  expect_symbol("(");
  for (std::size_t i = 0;; ++i) {
    // A value beyond the column list binds to no column; the executor reports the mismatch.
    std::string column = i < in.columns.size() ? in.columns[i] : std::string();
    in.values.push_back(term(MarkerContext{MarkerInfo::Role::column, std::move(column)}));
    if (!accept_symbol(",")) break;
  }
  expect_symbol(")");
  in.if_not_exists = accept_if_not_exists();
  if (accept_keyword("using")) in.using_ = using_clause();
  return in;
}

Assignment Parser::assignment() {
  Assignment a;
  a.column = identifier();
  MarkerContext ctx{MarkerInfo::Role::column, a.column};
  if (accept_symbol("[")) {
    a.kind = Assignment::Kind::set_element;
    a.key = term(MarkerContext{MarkerInfo::Role::other, {}});
    expect_symbol("]");
    expect_symbol("=");
    a.value = term(MarkerContext{MarkerInfo::Role::element, a.column});
    return a;
  }
  expect_symbol("=");
  // col = col + t | col = col - t
  const Token& t = peek();
  bool self = (t.kind == TokenKind::identifier || t.kind == TokenKind::quoted_identifier) &&
              t.text == a.column && (at_symbol("+", 1) || at_symbol("-", 1));
  if (self) {
    advance();
    a.kind = advance().text == "+" ? Assignment::Kind::add : Assignment::Kind::subtract;
    a.value = term(ctx);
    return a;
  }
  a.value = term(ctx);
  if (accept_symbol("+")) {  // col = t + col (list prepend)
    if (identifier() != a.column) fail_no_viable();
    a.kind = Assignment::Kind::prepend;
  }
  return a;
}

Update Parser::update() {
  advance();  // UPDATE
  Update up;
  up.table = qualified_name();
  if (accept_keyword("using")) up.using_ = using_clause();
  expect_keyword("set");
  up.assignments.push_back(assignment());
  while (accept_symbol(","))
    up.assignments.push_back(assignment());
  expect_keyword("where");
  up.where = where_clause();
  if (accept_keyword("if")) up.conditions = if_clause(false);
  return up;
}

Delete Parser::delete_() {
  advance();  // DELETE
  Delete del;
  if (!at_keyword("from")) {
    del.columns.push_back(identifier());
    while (accept_symbol(","))
      del.columns.push_back(identifier());
  }
  expect_keyword("from");
  del.table = qualified_name();
  if (accept_keyword("using")) {
    if (!at_keyword("timestamp")) fail_expecting("K_TIMESTAMP");
    del.using_ = using_clause();
    if (del.using_.ttl) fail_no_viable();
  }
  expect_keyword("where");
  del.where = where_clause();
  if (accept_keyword("if")) del.conditions = if_clause(false);
  return del;
}

}  // namespace detail

Expected<ParsedStatement, ParseError> parse(std::string_view query) {
  auto tokens = lex(query);
  if (!tokens) return unexpected(tokens.error());
  try {
    detail::Parser p(query, std::move(*tokens));
    return p.statement();
  } catch (detail::SyntaxFailure& f) {
    return unexpected(std::move(f.error));
  }
}

Expected<protocol::DataType, ParseError> parse_type(std::string_view text) {
  auto tokens = lex(text);
  if (!tokens) return unexpected(tokens.error());
  try {
    detail::Parser p(text, std::move(*tokens));
    protocol::DataType t = p.type();
    if (!p.at_end()) p.fail("extraneous input '" + p.display(p.peek()) + "' expecting EOF");
    return t;
  } catch (detail::SyntaxFailure& f) {
    return unexpected(std::move(f.error));
  }
}

}  // namespace nosqlc::sandbox::cql
