// A full-scan find over the token ring: the table read as token ranges, several at once, each
// `token(pk) > ? AND token(pk) <= ?` paged on a replica of its range. Internal to the driver.
#pragma once

#include "nosqlc/nosql/collection.hpp"
#include "nosqlc/nosql/cursor.hpp"
#include "scan_rows.hpp"

#include <nosqlc/filter/filter.hpp>
#include <nosqlc/protocol/client/session.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::cassandra {

// (start, end] of Murmur3 tokens.
struct ScanRange {
  std::int64_t start = 0;
  std::int64_t end = 0;
  bool operator==(const ScanRange&) const = default;
};

// The ranges of a resume position, "nosqlc-scan:1:<start>:<end>,<start>:<end>..." ("" when
// none are left); throws invalid_argument naming what is wrong with one that is not.
std::string format_position(const std::vector<ScanRange>& ranges);
std::vector<ScanRange> parse_position(std::string_view position);

// The ranges a scan reads: the ring's (as the session knows it) each cut into `split` equal
// parts.
std::vector<ScanRange> ring_ranges(const protocol::Session& session, std::size_t split);

struct RangeScanOptions {
  std::size_t concurrency = 1;
  protocol::StatementOptions page_options;                        // page size, per-page deadline
  std::optional<std::chrono::steady_clock::time_point> deadline;  // the whole scan's
  bool skip_unreadable = false;
  TraceIds* trace = nullptr;  // where the pages' trace ids go (FindOptions::trace)
};

// Keeps `concurrency` ranges fetching (each its pager's page and the one prefetched: memory
// is bounded by twice concurrency pages) and hands out their pages in turn.
class RangeScanSource final : public CursorSource {
 public:
  RangeScanSource(std::weak_ptr<protocol::Session> session, protocol::PreparedPtr scan_range,
                  std::vector<ScanRange> ranges, filter::Ast filter, RangeScanOptions options);

  asio::awaitable<std::vector<Document>> next_batch() override;
  asio::awaitable<void> close() override;
  std::size_t skipped() const noexcept override { return unreadable_.skipped; }
  std::optional<std::string> resume_position(std::size_t consumed) const override;

 private:
  struct Active {
    ScanRange range;  // start: up to where its documents were handed out
    std::optional<protocol::Pager> pager;
    std::int64_t page_end = 0;  // the last row's token of the batch handed out last
  };
  void fill(protocol::Session& session);  // starts ranges up to the concurrency
  void commit_batch();                    // the last batch was consumed whole

  std::weak_ptr<protocol::Session> session_;
  protocol::PreparedPtr scan_range_;
  std::deque<ScanRange> pending_;  // not started, in ring order
  std::vector<Active> active_;
  filter::Ast filter_;
  RangeScanOptions options_;
  Unreadable unreadable_;
  std::size_t turn_ = 0;
  // The batch handed out last: from active_[batch_from_] (npos: none), its documents' tokens.
  std::size_t batch_from_ = static_cast<std::size_t>(-1);
  std::vector<std::int64_t> batch_tokens_;
};

}  // namespace nosqlc::cassandra
