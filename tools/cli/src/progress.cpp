#include "nosqlc/cli/progress.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <utility>

namespace nosqlc::cli {
namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(100);
constexpr int kBarWidth = 24;

std::string duration_text(double seconds) {
  auto s = static_cast<unsigned long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%llu:%02llu:%02llu", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%llu:%02llu", s / 60, s % 60);
  }
  return buf;
}

}  // namespace

Progress::Progress(std::ostream& out, bool enabled, std::string label,
                   std::optional<std::uint64_t> total)
    : out_(out),
      enabled_(enabled),
      label_(std::move(label)),
      total_(total),
      start_(Clock::now()),
      last_draw_(start_) {}

std::string Progress::render(const std::string& label, std::uint64_t items, std::uint64_t work,
                             std::optional<std::uint64_t> total, double seconds) {
  std::string text = label + " ";
  double rate = seconds > 0 ? static_cast<double>(items) / seconds : 0.0;
  char buf[96];
  double fraction = 0;
  if (total) {
    fraction =
        *total == 0 ? 1.0 : std::min(1.0, static_cast<double>(work) / static_cast<double>(*total));
    int filled = static_cast<int>(fraction * kBarWidth);
    text += '[';
    text.append(static_cast<std::size_t>(filled), '#');
    text.append(static_cast<std::size_t>(kBarWidth - filled), '-');
    std::snprintf(buf, sizeof buf, "] %3d%%  ", static_cast<int>(fraction * 100));
    text += buf;
  }
  std::snprintf(buf, sizeof buf, "%llu docs  %.0f docs/s", static_cast<unsigned long long>(items),
                rate);
  text += buf;
  if (total) {
    text += "  ETA ";
    text += fraction > 0 ? duration_text(seconds * (1 - fraction) / fraction) : "--:--";
  }
  return text;
}

void Progress::update(std::uint64_t items, std::uint64_t work) {
  items_ = items;
  work_ = work;
  if (!enabled_ || finished_) return;
  auto now = Clock::now();
  if (drawn_ && now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  draw();
}

void Progress::clear() {
  if (!enabled_ || finished_ || !drawn_) return;
  out_ << '\r' << std::string(last_width_, ' ') << '\r';
  last_width_ = 0;
  drawn_ = false;
}

void Progress::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  draw();
  out_ << '\n' << std::flush;
}

void Progress::draw() {
  std::chrono::duration<double> elapsed = Clock::now() - start_;
  std::string text = render(label_, items_, work_, total_, elapsed.count());
  std::size_t width = text.size();
  // Spaces over what is left of a longer previous line.
  if (width < last_width_) text.append(last_width_ - width, ' ');
  last_width_ = width;
  drawn_ = true;
  out_ << '\r' << text << std::flush;
}

}  // namespace nosqlc::cli
