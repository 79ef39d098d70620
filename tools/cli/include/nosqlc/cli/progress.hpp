// A one-line progress bar with rate and ETA, redrawn in place on a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace nosqlc::cli {

class Progress {
 public:
  using Clock = std::chrono::steady_clock;

  // Draws on `out` only when `enabled` (the caller passes whether it is a terminal).
  // `total` is the amount of work in `unit`s when known (for ETA and percentage).
  Progress(std::ostream& out, bool enabled, std::string label,
           std::optional<std::uint64_t> total = std::nullopt);
  // Records `items` done and `work` units done out of total (items when the total counts
  // items, bytes for an import); redraws at most every 100 ms.
  void update(std::uint64_t items, std::uint64_t work);
  // Blanks the bar so that a message can be written on its line; the next update redraws it.
  void clear();
  // Draws the final state and ends the line. Idempotent.
  void finish();
  bool enabled() const noexcept { return enabled_; }

  // The bar's text for the given state (no carriage return), exposed for tests.
  static std::string render(const std::string& label, std::uint64_t items, std::uint64_t work,
                            std::optional<std::uint64_t> total, double seconds);

 private:
  void draw();
  std::ostream& out_;
  bool enabled_;
  std::string label_;
  std::optional<std::uint64_t> total_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  std::uint64_t items_ = 0;
  std::uint64_t work_ = 0;
  std::size_t last_width_ = 0;
  bool drawn_ = false;
  bool finished_ = false;
};

}  // namespace nosqlc::cli
