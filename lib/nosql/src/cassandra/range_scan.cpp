#include "range_scan.hpp"

#include "call_options.hpp"
#include "error_mapping.hpp"
#include "nosqlc/nosql/errors.hpp"

#include <nosqlc/protocol/values.hpp>

#include <charconv>
#include <limits>

namespace nosqlc::cassandra {
namespace {

namespace pr = nosqlc::protocol;
constexpr std::string_view kPositionPrefix = "nosqlc-scan:1:";
constexpr auto kNone = static_cast<std::size_t>(-1);

[[noreturn]] void bad_position(const std::string& why) {
  throw Error(errc::invalid_argument, "invalid resume_from: " + why);
}

std::int64_t parse_token(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    bad_position("\"" + std::string(text) + "\" is not a token");
  }
  return v;
}

pr::Bytes bigint(std::int64_t v) {
  pr::Bytes out;
  pr::encode_bigint(v, out);
  return out;
}

}  // namespace

std::string format_position(const std::vector<ScanRange>& ranges) {
  if (ranges.empty()) return {};
  std::string out(kPositionPrefix);
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(ranges[i].start) + ':' + std::to_string(ranges[i].end);
  }
  return out;
}

std::vector<ScanRange> parse_position(std::string_view position) {
  std::vector<ScanRange> out;
  if (position.empty()) return out;  // an exhausted scan: nothing left to read
  if (!position.starts_with(kPositionPrefix)) {
    bad_position("not a position a Cassandra scan gave (Cursor::resume_position)");
  }
  std::string_view rest = position.substr(kPositionPrefix.size());
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    const auto colon = item.find(':');
    if (colon == std::string_view::npos) bad_position("range \"" + std::string(item) + "\"");
    ScanRange r{parse_token(item.substr(0, colon)), parse_token(item.substr(colon + 1))};
    if (r.start >= r.end) bad_position("range \"" + std::string(item) + "\" is empty");
    out.push_back(r);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return out;
}

std::vector<ScanRange> ring_ranges(const pr::Session& session, std::size_t split) {
  std::vector<ScanRange> out;
  for (const auto& r : session.token_ranges()) {
    // Equal parts of (start, end], in unsigned arithmetic: the width may exceed INT64_MAX.
    const std::uint64_t width =
        static_cast<std::uint64_t>(r.end) - static_cast<std::uint64_t>(r.start);
    const std::uint64_t parts = std::max<std::uint64_t>(1, std::min<std::uint64_t>(split, width));
    std::int64_t from = r.start;
    for (std::uint64_t k = 1; k <= parts; ++k) {
      const std::int64_t to =
          k == parts
              ? r.end
              : static_cast<std::int64_t>(static_cast<std::uint64_t>(r.start) + width / parts * k);
      out.push_back({from, to});
      from = to;
    }
  }
  return out;
}

RangeScanSource::RangeScanSource(std::weak_ptr<pr::Session> session, pr::PreparedPtr scan_range,
                                 std::vector<ScanRange> ranges, filter::Ast filter,
                                 RangeScanOptions options)
    : session_(std::move(session)),
      scan_range_(std::move(scan_range)),
      pending_(ranges.begin(), ranges.end()),
      filter_(std::move(filter)),
      options_(std::move(options)) {
  unreadable_.skip = options_.skip_unreadable;
  options_.concurrency = std::max<std::size_t>(options_.concurrency, 1);
}

void RangeScanSource::fill(pr::Session& session) {
  while (active_.size() < options_.concurrency && !pending_.empty()) {
    const ScanRange r = pending_.front();
    pending_.pop_front();
    pr::StatementOptions o = options_.page_options;
    o.routing_token = r.end;  // a replica of the range coordinates it
    o.idempotent = true;
    auto pager = session.pages(scan_range_, {bigint(r.start), bigint(r.end)}, o);
    pager.start();
    active_.push_back(Active{r, std::move(pager), r.start});
  }
}

void RangeScanSource::commit_batch() {
  if (batch_from_ == kNone) return;
  active_[batch_from_].range.start = active_[batch_from_].page_end;
  batch_from_ = kNone;
  batch_tokens_.clear();
}

asio::awaitable<std::vector<Document>> RangeScanSource::next_batch() {
  commit_batch();
  std::vector<Document> out;
  while (true) {
    auto session = alive(session_);
    fill(*session);
    if (active_.empty()) co_return out;
    if (options_.deadline && std::chrono::steady_clock::now() >= *options_.deadline) {
      throw Error(errc::timeout,
                  "the scan's deadline passed (resume it from "
                  "Cursor::resume_position)");
    }
    if (turn_ >= active_.size()) turn_ = 0;
    const std::size_t i = turn_;
    auto page = co_await translated(active_[i].pager->next());
    if (page) note_trace(options_.trace, *page);
    if (!page) {
      active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(i));
      continue;  // the next range takes its turn
    }
    ++turn_;
    const auto* rows = page->rows();
    if (rows == nullptr) continue;
    std::int64_t last = active_[i].range.start;
    collect(*page, *rows, filter_, out, unreadable_, &batch_tokens_, &last);
    if (out.empty()) {
      active_[i].range.start = last;  // nothing to hand out: the page is done with
      continue;
    }
    active_[i].page_end = last;
    batch_from_ = i;
    co_return out;
  }
}

asio::awaitable<void> RangeScanSource::close() {
  for (auto& a : active_)
    a.pager->cancel();
  co_return;
}

std::optional<std::string> RangeScanSource::resume_position(std::size_t consumed) const {
  std::vector<ScanRange> left;
  for (std::size_t i = 0; i < active_.size(); ++i) {
    ScanRange r = active_[i].range;
    if (i == batch_from_ && consumed > 0) {
      r.start =
          consumed >= batch_tokens_.size() ? active_[i].page_end : batch_tokens_[consumed - 1];
    }
    if (r.start < r.end) left.push_back(r);
  }
  left.insert(left.end(), pending_.begin(), pending_.end());
  return format_position(left);
}

}  // namespace nosqlc::cassandra
