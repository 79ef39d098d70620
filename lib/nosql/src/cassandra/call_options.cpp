#include "call_options.hpp"

#include <nosqlc/protocol/value_forms.hpp>

namespace nosqlc::cassandra {

namespace pr = nosqlc::protocol;

pr::Consistency cql_consistency(Consistency c) noexcept {
  // The same levels under the same names (protocol section 3, [consistency]).
  return *pr::consistency_from_string(to_string(c));
}

pr::StatementOptions statement_options(const CallOptions& call, bool idempotent) {
  pr::StatementOptions o;
  if (idempotent) o.idempotent = true;
  o.deadline = call.deadline;
  if (call.consistency) o.consistency = cql_consistency(*call.consistency);
  if (call.serial_consistency) o.serial_consistency = cql_consistency(*call.serial_consistency);
  o.timestamp = call.timestamp;
  o.trace = call.trace != nullptr;
  return o;
}

pr::StatementOptions statement_options(const FindOptions& find) {
  pr::StatementOptions o;
  if (find.page_size) o.page_size = *find.page_size;
  if (find.page_deadline) o.deadline = *find.page_deadline;
  if (find.consistency) o.consistency = cql_consistency(*find.consistency);
  o.trace = find.trace != nullptr;
  return o;
}

void note_trace(TraceIds* trace, const pr::QueryResult& result) {
  if (trace == nullptr) return;
  if (auto id = result.tracing_id()) trace->ids.push_back(pr::format_uuid(*id));
}

}  // namespace nosqlc::cassandra
