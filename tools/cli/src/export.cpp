// `nosqlc export`: the matching documents out as JSON lines.
#include "nosqlc/cli/output.hpp"
#include "nosqlc/cli/transfer.hpp"

#include <ostream>

namespace nosqlc::cli {

asio::awaitable<std::uint64_t> export_documents(Collection& collection, const filter::Ast& filter,
                                                FindOptions find_options, std::ostream& out,
                                                Progress& progress) {
  auto cursor = co_await collection.find(filter, find_options);
  std::uint64_t n = 0;
  while (co_await cursor.next()) {
    write_json(out, cursor.document(), false);
    ++n;
    progress.update(n, n);
  }
  progress.finish();
  co_return n;
}

}  // namespace nosqlc::cli
