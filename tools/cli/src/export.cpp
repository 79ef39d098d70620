// `nosqlc export`: the matching documents out as JSON lines.
#include "nosqlc/cli/output.hpp"
#include "nosqlc/cli/transfer.hpp"

#include <ostream>

namespace nosqlc::cli {

asio::awaitable<ExportResult> export_documents(Collection& collection, const filter::Ast& filter,
                                               FindOptions find_options, std::ostream& out,
                                               Progress& progress) {
  auto cursor = co_await collection.find(filter, find_options);
  ExportResult r;
  while (co_await cursor.next()) {
    write_json(out, cursor.document(), false);
    ++r.exported;
    progress.update(r.exported, r.exported);
  }
  r.skipped = cursor.skipped();
  progress.finish();
  co_return r;
}

}  // namespace nosqlc::cli
