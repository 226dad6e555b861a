// chart_svg.cc: the SVG chart of a bench sweep, written by hand: per panel
// a frame, axes with ticks, one polyline per backend (log2 x axis), legend.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cli/bench_sweep.h"

namespace coord::cli {
namespace {

constexpr double kPanelW = 460, kPanelH = 300, kLeft = 70, kTop = 50, kBottom = 45;
const char* const kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

std::string fmt(double v) {
  char buf[32];
  if (v >= 1000) std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (v >= 10) std::snprintf(buf, sizeof buf, "%.1f", v);
  else std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// nice_max rounds v up to 1, 2 or 5 times a power of ten.
double nice_max(double v) {
  if (v <= 0) return 1;
  const double p = std::pow(10, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (v <= m * p) return m * p;
  }
  return 10 * p;
}

struct Frame {
  double x0, y0, w, h, xmin, xmax, ymax;
  double px(double x) const {
    const double lx = std::log2(std::max(x, 1.0));
    const double span = std::max(std::log2(xmax) - std::log2(xmin), 1e-9);
    return x0 + (lx - std::log2(xmin)) / span * w;
  }
  double py(double y) const { return y0 + h - y / ymax * h; }
};

void draw_axes(std::ostringstream& s, const Frame& f, const std::string& title,
               const std::vector<double>& xs) {
  s << "<text x='" << f.x0 + f.w / 2 << "' y='" << f.y0 - 12
    << "' text-anchor='middle' font-size='14'>" << title << "</text>\n";
  s << "<rect x='" << f.x0 << "' y='" << f.y0 << "' width='" << f.w << "' height='" << f.h
    << "' fill='none' stroke='#444'/>\n";
  for (int i = 0; i <= 4; ++i) {
    const double v = f.ymax * i / 4, y = f.py(v);
    s << "<line x1='" << f.x0 << "' y1='" << y << "' x2='" << f.x0 + f.w << "' y2='" << y
      << "' stroke='#ddd'/><text x='" << f.x0 - 6 << "' y='" << y + 4
      << "' text-anchor='end' font-size='11'>" << fmt(v) << "</text>\n";
  }
  for (double x : xs) {
    s << "<line x1='" << f.px(x) << "' y1='" << f.y0 + f.h << "' x2='" << f.px(x) << "' y2='"
      << f.y0 + f.h + 5 << "' stroke='#444'/><text x='" << f.px(x) << "' y='" << f.y0 + f.h + 18
      << "' text-anchor='middle' font-size='11'>" << fmt(x) << "</text>\n";
  }
  s << "<text x='" << f.x0 + f.w / 2 << "' y='" << f.y0 + f.h + 36
    << "' text-anchor='middle' font-size='12'>workers</text>\n";
}

void draw_panel(std::ostringstream& s, double x0, const std::string& title,
                const std::vector<ChartSeries>& series) {
  std::vector<double> xs;
  double ymax = 0;
  for (const auto& sr : series) {
    for (double x : sr.x) xs.push_back(x);
    for (double y : sr.y) ymax = std::max(ymax, y);
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  if (xs.empty()) xs.push_back(1);
  Frame f{x0 + kLeft, kTop, kPanelW - kLeft - 20, kPanelH - kTop - kBottom,
          std::max(xs.front(), 1.0), std::max(xs.back(), xs.front() * 2), nice_max(ymax)};
  draw_axes(s, f, title, xs);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const char* color = kColors[i % std::size(kColors)];
    s << "<polyline fill='none' stroke='" << color << "' stroke-width='2' points='";
    for (std::size_t k = 0; k < series[i].x.size(); ++k) {
      s << f.px(series[i].x[k]) << "," << f.py(series[i].y[k]) << " ";
    }
    s << "'/>\n";
    for (std::size_t k = 0; k < series[i].x.size(); ++k) {
      s << "<circle cx='" << f.px(series[i].x[k]) << "' cy='" << f.py(series[i].y[k])
        << "' r='3' fill='" << color << "'/>\n";
    }
  }
}

}  // namespace

std::string render_chart(
    const std::string& title,
    const std::vector<std::pair<std::string, std::vector<ChartSeries>>>& panels) {
  std::ostringstream s;
  const double width = kPanelW * static_cast<double>(std::max<std::size_t>(panels.size(), 1));
  s << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='"
    << kPanelH + 40 << "' font-family='sans-serif'>\n<rect width='100%' height='100%' "
    << "fill='white'/>\n<text x='" << width / 2
    << "' y='20' text-anchor='middle' font-size='15' font-weight='bold'>" << title
    << "</text>\n";
  for (std::size_t i = 0; i < panels.size(); ++i) {
    draw_panel(s, kPanelW * static_cast<double>(i), panels[i].first, panels[i].second);
  }
  if (!panels.empty()) {
    const auto& series = panels.front().second;
    for (std::size_t i = 0; i < series.size(); ++i) {
      const double x = 20 + 140 * static_cast<double>(i), y = kPanelH + 25;
      s << "<line x1='" << x << "' y1='" << y - 4 << "' x2='" << x + 24 << "' y2='" << y - 4
        << "' stroke='" << kColors[i % std::size(kColors)] << "' stroke-width='3'/><text x='"
        << x + 30 << "' y='" << y << "' font-size='12'>" << series[i].name << "</text>\n";
    }
  }
  s << "</svg>\n";
  return s.str();
}

}  // namespace coord::cli
