#include "nosqlc/bench/plot_svg.hpp"

#include "nosqlc/bench/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <string_view>
#include <utility>

namespace nosqlc::bench {
namespace {

// Pixel layout: the plot area, then the legend table under it.
constexpr double kWidth = 960;
constexpr double kLeft = 90, kRight = 930, kTop = 84, kBottom = 430;
constexpr double kTableTop = kBottom + 72, kRowHeight = 20;
constexpr const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                   "#9467bd", "#8c564b", "#e377c2", "#17becf"};

[[gnu::format(printf, 2, 3)]] void put(std::string& out, const char* fmt, ...) {
  va_list args, again;
  va_start(args, fmt);
  va_copy(again, args);
  int n = std::vsnprintf(nullptr, 0, fmt, args);
  va_end(args);
  if (n > 0) {
    std::size_t at = out.size();
    out.resize(at + static_cast<std::size_t>(n) + 1);
    std::vsnprintf(out.data() + at, static_cast<std::size_t>(n) + 1, fmt, again);
    out.pop_back();  // vsnprintf's terminating zero
  }
  va_end(again);
}

std::string escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// "0%", "90%", "99%", "99.9%", ... for k nines.
std::string nines_label(int k) {
  if (k == 0) return "0%";
  if (k == 1) return "90%";
  if (k == 2) return "99%";
  return "99." + std::string(static_cast<std::size_t>(k - 2), '9') + "%";
}

std::string latency_label(double us) {
  char buf[32];
  if (us < 1000) {
    std::snprintf(buf, sizeof buf, "%g µs", us);
  } else if (us < 1e6) {
    std::snprintf(buf, sizeof buf, "%g ms", us / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%g s", us / 1e6);
  }
  return buf;
}

// A point's x: its number of nines; the maximum sits where one value in count() is left.
double nines_of(const Histogram::Point& p, std::uint64_t count) {
  if (p.q >= 1) return std::log10(static_cast<double>(count));
  return -std::log10(1 - p.q);
}

const char* plural(std::size_t n) {
  return n == 1 ? "" : "s";
}

// The run's settings in two lines: what each workload did, then where and how.
std::pair<std::string, std::string> settings_lines(const Options& o) {
  std::string what = o.api == Api::raw ? "api raw (CQL session)" : "api document";
  put(what, " · concurrency %zu · %zu-byte documents · %llu documents", o.concurrency, o.doc_bytes,
      static_cast<unsigned long long>(o.docs));
  if (o.ops) put(what, " · %llu ops per workload", static_cast<unsigned long long>(*o.ops));
  if (o.duration) put(what, " · %g s per workload", *o.duration);
  if (o.page_size) put(what, " · page size %d", static_cast<int>(*o.page_size));
  std::string where;
  if (o.url) {
    where = *o.url;
  } else {
    put(where, "embedded sandbox: %zu node%s, %zu I/O thread%s", o.sandbox_nodes,
        plural(o.sandbox_nodes), o.sandbox_threads, plural(o.sandbox_threads));
  }
  if (o.io_threads) put(where, " · client io_threads %zu", *o.io_threads);
  if (o.scan_concurrency) put(where, " · scan concurrency %zu", *o.scan_concurrency);
  if (o.scan_latency_ms) put(where, " · scan latency %d ms", *o.scan_latency_ms);
  return {escaped(what), escaped(where)};
}

}  // namespace

std::string plot_svg(const std::vector<Result>& results, const Options& o) {
  // The ranges of both axes, over every workload.
  double x_max = 1;
  double y_min = INFINITY, y_max = 0;
  bool clamped = false;
  std::vector<std::vector<Histogram::Point>> curves;
  for (const Result& r : results) {
    curves.push_back(r.latency.percentile_points());
    for (const auto& p : curves.back()) {
      x_max = std::max(x_max, nines_of(p, r.latency.count()));
      double us = latency_us(p.ns);
      if (us < 0.1) {  // a log axis has no 0
        us = 0.1;
        clamped = true;
      }
      y_min = std::min(y_min, us);
      y_max = std::max(y_max, us);
    }
  }
  int x_nines = static_cast<int>(std::ceil(x_max - 1e-9));
  if (y_max == 0) y_min = y_max = 1;  // nothing measured: an empty plot, still with axes

  // Log y: the tail is often 10-100x the median, which a linear axis would flatten. Ticks at
  // 1, 2, 5 x 10^k (only 1 x 10^k past four decades), the axis from the tick under the
  // fastest value to the tick over the slowest.
  int d_lo = static_cast<int>(std::floor(std::log10(y_min) + 1e-9));
  int d_hi = static_cast<int>(std::ceil(std::log10(y_max) - 1e-9));
  std::vector<double> steps =
      d_hi - d_lo > 4 ? std::vector<double>{1} : std::vector<double>{1, 2, 5};
  std::vector<double> ticks;
  for (int d = d_lo; d <= d_hi + 1; ++d) {
    for (double m : steps)
      ticks.push_back(m * std::pow(10.0, d));
  }
  double y_lo = ticks.front();
  for (double t : ticks) {
    if (t <= y_min * (1 + 1e-9)) y_lo = t;
  }
  double y_hi = ticks.back();
  for (auto it = ticks.rbegin(); it != ticks.rend() && *it > y_lo; ++it) {
    if (*it >= y_max * (1 - 1e-9)) y_hi = *it;
  }
  auto px_x = [&](double nines) { return kLeft + nines / x_nines * (kRight - kLeft); };
  auto px_y = [&](double us) {
    double f =
        (std::log10(std::max(us, y_lo)) - std::log10(y_lo)) / (std::log10(y_hi) - std::log10(y_lo));
    return kBottom - f * (kBottom - kTop);
  };

  std::string svg;
  double height = kTableTop + kRowHeight * static_cast<double>(results.size()) + 24;
  auto [what, where] = settings_lines(o);
  put(svg,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" "
      "viewBox=\"0 0 %g %g\" font-family=\"sans-serif\" font-size=\"12\">\n",
      kWidth, height, kWidth, height);
  svg += "<title>nosqlc-bench: latency by percentile</title>\n<desc>" + what + "; " + where +
         "</desc>\n";
  put(svg, "<rect width=\"%g\" height=\"%g\" fill=\"white\"/>\n", kWidth, height);
  svg +=
      "<text x=\"90\" y=\"28\" font-size=\"16\" font-weight=\"bold\">nosqlc-bench: latency "
      "by percentile</text>\n";
  svg += "<text x=\"90\" y=\"48\" fill=\"#444\">" + what + "</text>\n";
  svg += "<text x=\"90\" y=\"64\" fill=\"#444\">" + where + "</text>\n";

  // Grid, ticks and axis labels.
  svg += "<g class=\"axes\" stroke=\"#ddd\">\n";
  for (int k = 0; k <= x_nines; ++k) {
    put(svg, "<line x1=\"%.1f\" y1=\"%g\" x2=\"%.1f\" y2=\"%g\"/>\n", px_x(k), kTop, px_x(k),
        kBottom);
  }
  for (double t : ticks) {
    if (t < y_lo || t > y_hi) continue;
    put(svg, "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\"/>\n", kLeft, px_y(t), kRight,
        px_y(t));
  }
  put(svg, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"none\" stroke=\"#888\"/>\n",
      kLeft, kTop, kRight - kLeft, kBottom - kTop);
  svg += "</g>\n<g class=\"tick-labels\" fill=\"#333\">\n";
  for (int k = 0; k <= x_nines; ++k) {
    put(svg, "<text x=\"%.1f\" y=\"%g\" text-anchor=\"middle\">%s</text>\n", px_x(k), kBottom + 18,
        nines_label(k).c_str());
  }
  for (double t : ticks) {
    if (t < y_lo || t > y_hi) continue;
    put(svg, "<text x=\"%g\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", kLeft - 6, px_y(t) + 4,
        latency_label(t).c_str());
  }
  svg += "</g>\n";
  put(svg,
      "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\">percentile (scale of nines: "
      "x = -log10(1 - p); the last point of each line is the maximum)</text>\n",
      (kLeft + kRight) / 2, kBottom + 40);
  put(svg,
      "<text transform=\"translate(24 %g) rotate(-90)\" text-anchor=\"middle\">latency (log "
      "scale%s)</text>\n",
      (kTop + kBottom) / 2, clamped ? "; under 0.1 µs drawn at 0.1 µs" : "");

  // One line per workload, each point with a tooltip.
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Result& r = results[i];
    std::string name = escaped(name_of(r.workload));
    const char* color = kColors[i % std::size(kColors)];
    std::string points, percentiles, latencies, marks;
    for (const auto& p : curves[i]) {
      double us = latency_us(p.ns);
      double x = px_x(nines_of(p, r.latency.count())), y = px_y(us);
      put(points, "%s%.1f,%.1f", points.empty() ? "" : " ", x, y);
      put(percentiles, "%s%.10g", percentiles.empty() ? "" : " ", p.q * 100);
      put(latencies, "%s%.1f", latencies.empty() ? "" : " ", us);
      if (p.q >= 1) {
        put(marks,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"><title>%s max: %.1f µs</title>"
            "</circle>\n",
            x, y, name.c_str(), us);
      } else {
        put(marks,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"><title>%s p%.10g: %.1f µs</title>"
            "</circle>\n",
            x, y, name.c_str(), p.q * 100, us);
      }
    }
    put(svg, "<g class=\"line\" fill=\"%s\">\n", color);
    put(svg,
        "<polyline data-workload=\"%s\" data-percentiles=\"%s\" data-latency-us=\"%s\" "
        "fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n",
        name.c_str(), percentiles.c_str(), latencies.c_str(), color, points.c_str());
    svg += marks + "</g>\n";
  }

  // The legend: one row per workload with its swatch and the figures of the run.
  struct Column {
    const char* title;
    double x;  // right edge
  };
  constexpr Column kColumns[] = {{"ops", 320},    {"ops/s", 420},    {"p50 µs", 520},
                                 {"p99 µs", 620}, {"p99.9 µs", 720}, {"max µs", 820},
                                 {"errors", 900}};
  put(svg,
      "<g class=\"legend-header\" font-weight=\"bold\">\n<text x=\"%g\" y=\"%g\">workload"
      "</text>\n",
      kLeft + 32, kTableTop);
  for (const Column& c : kColumns) {
    put(svg, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\">%s</text>\n", c.x, kTableTop, c.title);
  }
  svg += "</g>\n";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Result& r = results[i];
    double y = kTableTop + kRowHeight * static_cast<double>(i + 1);
    std::string name = escaped(name_of(r.workload));
    put(svg, "<g class=\"figures\" data-workload=\"%s\">\n", name.c_str());
    put(svg, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"%s\" stroke-width=\"3\"/>\n",
        kLeft, y - 4, kLeft + 24, y - 4, kColors[i % std::size(kColors)]);
    put(svg, "<text x=\"%g\" y=\"%g\">%s</text>\n", kLeft + 32, y, name.c_str());
    auto field = [&](std::size_t column, const char* key, double v, int decimals) {
      put(svg, "<text x=\"%g\" y=\"%g\" text-anchor=\"end\" data-field=\"%s\">%.*f</text>\n",
          kColumns[column].x, y, key, decimals, v);
    };
    field(0, "ops", static_cast<double>(r.ops), 0);
    field(1, "ops_per_s", r.ops_per_s(), 0);
    field(2, "p50_us", latency_us(r.latency.quantile(0.50)), 1);
    field(3, "p99_us", latency_us(r.latency.quantile(0.99)), 1);
    field(4, "p999_us", latency_us(r.latency.quantile(0.999)), 1);
    field(5, "max_us", latency_us(r.latency.max()), 1);
    field(6, "errors", static_cast<double>(r.errors), 0);
    svg += "</g>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace nosqlc::bench
