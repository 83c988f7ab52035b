#include "aiadvise/render/chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "aiadvise/util/human.hpp"
#include "aiadvise/util/text.hpp"
#include "render/fields.hpp"

namespace aiadvise::render {

using util::Json;

namespace {

using detail::number;

std::string string_of(const Json& o, const char* key) {
  return o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string("-");
}

/// Terminal cells of a UTF-8 string (one per code point: the labels are instance and service ids).
std::size_t cells(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

std::string pad_right(const std::string& s, std::size_t width) { return s + std::string(width > cells(s) ? width - cells(s) : 0, ' '); }
std::string pad_left(const std::string& s, std::size_t width) { return std::string(width > cells(s) ? width - cells(s) : 0, ' ') + s; }

std::string money(double v) { return util::format_usd(v); }

std::string quantity(double v) { return util::format_quantity(v); }

/// A bar of `fraction` (0..1) of `width` cells.
std::string bar(double fraction, const ChartStyle& style) {
  static constexpr std::string_view eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  fraction = std::clamp(fraction, 0.0, 1.0);
  if (!style.unicode) {
    int n = static_cast<int>(std::lround(fraction * style.width));
    if (n == 0 && fraction > 0) n = 1;
    return std::string(static_cast<std::size_t>(n), '#');
  }
  long units = std::lround(fraction * style.width * 8);
  if (units == 0 && fraction > 0) units = 1;
  std::string out;
  for (long k = 0; k < units / 8; ++k) out += "█";
  out += eighths[units % 8];
  return out;
}

struct Row {
  std::string label;
  std::optional<double> value;
};

std::string section(const std::string& title, const std::vector<Row>& rows, const std::function<std::string(double)>& format,
                    ChartStyle style) {
  auto bold = [&](const std::string& s) { return style.color ? "\x1b[1m" + s + "\x1b[0m" : s; };
  std::size_t label_width = 0, value_width = 0;
  double max = 0;
  for (const auto& r : rows) {
    label_width = std::max(label_width, cells(r.label));
    value_width = std::max(value_width, cells(r.value ? format(*r.value) : "-"));
    if (r.value) max = std::max(max, *r.value);
  }
  // "  NN  label  value  bar": the bar gets what the line leaves; below 8 cells the labels are
  // shortened (to 12 cells at least) to leave it 8.
  if (style.columns > 0) {
    auto room = [&] {
      const std::size_t used = 2 + 2 + 2 + label_width + 2 + value_width + 2;
      return style.columns > used ? style.columns - used : 0;
    };
    if (room() < 8) label_width = std::max<std::size_t>(12, label_width - std::min(label_width, 8 - room()));
    style.width = static_cast<int>(std::clamp<std::size_t>(room(), 1, static_cast<std::size_t>(std::max(style.width, 1))));
  }
  auto fit = [&](const std::string& label) {
    if (cells(label) <= label_width) return label;
    std::string out;
    std::size_t n = 0;
    for (char ch : label) {
      const bool starts = (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
      if (starts && n + 3 >= label_width) break;
      n += starts;
      out += ch;
    }
    return out + "...";
  };
  std::string out = bold(title) + "\n";
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    std::string b = r.value && max > 0 ? bar(*r.value / max, style) : "";
    if (style.color && k == 0 && !b.empty()) b = "\x1b[32m" + b + "\x1b[0m";
    std::string line = fmt::format("  {:>2}  {}  {}", k + 1, pad_right(fit(r.label), label_width), pad_left(r.value ? format(*r.value) : "-", value_width));
    if (!b.empty()) line += "  " + b;
    out += line + "\n";
  }
  return out;
}

}  // namespace

bool utf8_locale() {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* value = std::getenv(name);
    if (!value || !*value) continue;
    std::string v(value);
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return v.find("utf-8") != std::string::npos || v.find("utf8") != std::string::npos;
  }
  return false;
}

std::string recommendation_chart(const Json& r, const ChartStyle& style) {
  if (!r.contains("recommendation") || r["recommendation"].is_null()) return "";
  std::vector<const Json*> options{&r["recommendation"]};
  for (const auto& a : r["alternatives"]) options.push_back(&a);

  // Training and batch jobs: cost for the run and time; real-time serving: cost per hour and throughput.
  const bool job = r["recommendation"].contains("cost_usd") && r["recommendation"].contains("time_hours");
  std::vector<Row> cost, other;
  for (const Json* o : options) {
    std::string label = util::escape_for_terminal(string_of(*o, "instance")) + " on " + util::escape_for_terminal(string_of(*o, "service"));
    const int count = o->contains("count") && (*o)["count"].is_number_integer() ? (*o)["count"].get<int>() : 1;
    if (count > 1) label = fmt::format("{} x {}", count, label);
    cost.push_back({label, job ? number(*o, "cost_usd") : number(*o, "cost_usd_per_month")});
    other.push_back({label, job ? number(*o, "time_hours") : number(*o, "throughput")});
  }
  std::string out;
  if (job) {
    out += section("Cost for the run (USD, lower is better)", cost, [](double v) { return money(v); }, style);
    out += "\n" + section("Time (lower is better)", other, [](double v) { return util::format_hours(v); }, style);
  } else {
    const std::string unit = util::escape_for_terminal(string_of(r["recommendation"], "throughput_unit"));
    const double hours = r.value("hours_per_month", 730.0);
    out += section(fmt::format("Cost (USD per month of {:g} h, lower is better)", hours), cost,
                   [](double v) { return money(v) + "/month"; }, style);
    out += "\n" + section(fmt::format("Throughput ({}, higher is better)", unit), other, [](double v) { return quantity(v); }, style);
  }
  return out;
}

}  // namespace aiadvise::render
