#include "aiadvise/render/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <vector>

#include "aiadvise/util/human.hpp"
#include "aiadvise/util/table.hpp"
#include "aiadvise/util/text.hpp"
#include "render/fields.hpp"

namespace aiadvise::render {

using util::Json;

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if ((u < 0x20 && ch != '\n' && ch != '\t') || u == 0x7F) out += "\xEF\xBF\xBD";
        else out += ch;
    }
  }
  return out;
}

namespace {

// ---- reading the report -------------------------------------------------------------------------

using detail::is_job;
using detail::number;

std::string str(const Json& o, const char* key, const char* missing = "-") {
  if (!o.is_object() || !o.contains(key) || o[key].is_null()) return missing;
  return o[key].is_string() ? o[key].get<std::string>() : o[key].dump();
}

/// Escaped string field.
std::string esc(const Json& o, const char* key, const char* missing = "-") { return html_escape(str(o, key, missing)); }

std::string money(std::optional<double> v, const char* suffix = "") {
  if (!v) return "-";
  return util::format_usd(*v) + suffix;
}

std::string qty(std::optional<double> v) { return v ? util::format_quantity(*v) : "-"; }

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

/// A source reference is shown as text, without its scheme: the page references nothing outside.
std::string without_scheme(std::string s) {
  for (const char* scheme : {"https://", "http://"}) {
    if (s.rfind(scheme, 0) == 0) return s.substr(std::string_view(scheme).size());
  }
  return s;
}

std::string workload_html(const Json& w) {
  std::string line = w.contains("model") ? str(w, "model") : str(w, "family");
  if (w.contains("params") && w["params"].is_number()) line += fmt::format(" ({} parameters)", util::format_count(w["params"].get<double>()));
  line += ", " + str(w, "phase");
  if (w.contains("method")) line += " " + str(w, "method");
  if (w.contains("mode")) line += " " + str(w, "mode");
  line += ", " + str(w, "precision");
  if (auto v = number(w, "qps")) line += fmt::format(", {} requests/s", util::format_quantity(*v));
  if (auto v = number(w, "latency_ms")) line += fmt::format(", {} latency target", util::format_duration_ms(*v));
  if (auto v = number(w, "ttft_ms")) line += fmt::format(", {} TTFT target", util::format_duration_ms(*v));
  if (auto v = number(w, "tpot_ms")) line += fmt::format(", {} TPOT target", util::format_duration_ms(*v));
  if (auto v = number(w, "deadline_hours")) line += fmt::format(", {} deadline", util::format_hours(*v));
  return html_escape(line);
}

// ---- page frame ---------------------------------------------------------------------------------

constexpr const char* k_css = R"(
:root{--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--card:#fff;--accent:#0f766e;--pick:#dc2626}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:28px 24px 40px}
header h1{margin:0 0 4px;font-size:26px;letter-spacing:-.01em}
header .workload{margin:0;font-size:16px}
.meta{color:var(--muted);font-size:13px;margin:4px 0 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin-top:18px;box-shadow:0 1px 2px rgba(0,0,0,.04)}
.card h2{margin:0 0 12px;font-size:17px}
.card h3{margin:0 0 6px;font-size:15px}
.pick{border-left:5px solid var(--accent)}
.headline{font-size:22px;font-weight:600;margin-bottom:10px}
.headline .instance{color:var(--accent)}
.headline .sub{font-size:15px;font-weight:400;color:var(--muted)}
dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px 18px;margin:0}
dl.facts div{border-top:1px solid var(--line);padding-top:6px}
dl.facts dt{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
dl.facts dd{margin:0;font-weight:600}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:22px}
ul{margin:0;padding-left:20px}
li{margin:2px 0}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.pick td{background:#f0fdfa;font-weight:600}
.badge{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:700;text-transform:uppercase}
.badge.pass{background:#dcfce7;color:#166534}.badge.warn{background:#fef3c7;color:#92400e}.badge.fail{background:#fee2e2;color:#991b1b}
.none{border-left:5px solid var(--pick)}
figure{margin:0}
figcaption{color:var(--muted);font-size:13px;margin-top:6px}
svg#chart{width:100%;height:auto;display:block}
svg text{font-family:inherit;fill:#374151}
svg .tick{font-size:12px;fill:#6b7280}
svg .axis-title{font-size:13px;font-weight:600}
svg .grid{stroke:#eef0f3}
svg .axis{stroke:#9ca3af}
svg .point{stroke:#fff;stroke-width:1;fill-opacity:.5}
svg .point.pareto{fill-opacity:1;stroke:#111827;stroke-width:1.6}
svg .point.recommended{stroke:var(--pick);stroke-width:3;fill-opacity:1}
svg .pareto-front{fill:none;stroke:#111827;stroke-width:1.5;stroke-dasharray:5 4}
svg .pick-label{font-size:13px;font-weight:700;fill:var(--pick);paint-order:stroke;stroke:#fff;stroke-width:4px}
svg .pareto-label{font-size:12px;fill:#111827;paint-order:stroke;stroke:#fff;stroke-width:4px}
svg .label-leader{stroke:#9ca3af;stroke-width:1}
svg .legend text{font-size:12px}
.findings{margin:4px 0 0;padding-left:18px;font-size:13px}
.finding .rule{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.sev-fail{color:#991b1b;font-weight:700}.sev-warn{color:#92400e;font-weight:700}
td.name{white-space:nowrap}
footer{color:var(--muted);font-size:12px;margin-top:22px;text-align:center}
@media (max-width:760px){.cols{grid-template-columns:1fr}}
)";

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"generator\" content=\"aiadvise\">\n<title>" +
         html_escape(title) + "</title>\n<style>" + k_css + "</style>\n</head>\n<body>\n<main>\n" + body +
         "<footer>Generated by aiadvise. Self-contained: no scripts, no external resources.</footer>\n</main>\n</body>\n</html>\n";
}

std::string list(const Json& items, const char* id = nullptr) {
  std::string out = id ? fmt::format("<ul id=\"{}\">", id) : "<ul>";
  for (const auto& i : items) out += "<li>" + html_escape(i.is_string() ? i.get<std::string>() : i.dump()) + "</li>";
  if (items.empty()) out += "<li class=\"empty\">none</li>";
  return out + "</ul>\n";
}

// ---- the scatter chart --------------------------------------------------------------------------

struct Scale {
  double lo = 0, hi = 1;  // domain
  double p0 = 0, p1 = 1;  // pixels for lo and hi
  bool log = false;
  std::vector<double> ticks;

  double operator()(double v) const {
    const double t = log ? (std::log10(std::max(v, 1e-300)) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) : (v - lo) / (hi - lo);
    return p0 + t * (p1 - p0);
  }
};

double nice_step(double span, int target) {
  const double raw = span / std::max(target, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * mag >= raw) return m * mag;
  }
  return 10 * mag;
}

Scale make_scale(double min, double max, double p0, double p1) {
  Scale s;
  s.p0 = p0;
  s.p1 = p1;
  if (min > 0 && max / min >= 20) {
    s.log = true;
    s.lo = min / 1.25;
    s.hi = max * 1.25;
    for (const auto& mantissas : {std::vector<double>{1, 2, 5}, std::vector<double>{1, 1.5, 2, 3, 5, 7}}) {
      s.ticks.clear();
      for (int e = static_cast<int>(std::floor(std::log10(s.lo))); e <= static_cast<int>(std::ceil(std::log10(s.hi))); ++e) {
        for (double m : mantissas) {
          const double v = m * std::pow(10.0, e);
          if (v >= s.lo && v <= s.hi) s.ticks.push_back(v);
        }
      }
      if (s.ticks.size() >= 4) break;
    }
    // Too many labels for the space: keep the powers of ten and a few between.
    while (s.ticks.size() > 10) {
      std::vector<double> fewer;
      for (std::size_t k = 0; k < s.ticks.size(); k += 2) fewer.push_back(s.ticks[k]);
      s.ticks = fewer;
    }
    return s;
  }
  if (max <= min) {
    const double pad = min == 0 ? 1 : std::fabs(min) * 0.5;
    min -= pad;
    max += pad;
  }
  const double pad = (max - min) * 0.06;
  double lo = std::max(0.0, min - pad), hi = max + pad;
  if (min >= 0 && lo < (hi - lo) * 0.25) lo = 0;  // close to zero: start at zero
  const double step = nice_step(hi - lo, 6);
  s.lo = std::floor(lo / step) * step;
  s.hi = std::ceil(hi / step) * step;
  for (double v = s.lo; v <= s.hi + step * 1e-9; v += step) s.ticks.push_back(std::fabs(v) < step * 1e-9 ? 0 : v);
  return s;
}

std::string fmt_px(double v) { return fmt::format("{:.1f}", v); }

const std::map<std::string, std::string>& compute_colours() {
  static const std::map<std::string, std::string> colours{
      {"cpu", "#64748b"}, {"gpu", "#2563eb"}, {"tpu", "#16a34a"}, {"inferentia", "#d97706"}, {"trainium", "#9333ea"}};
  return colours;
}

std::string colour_of(const std::string& compute) {
  auto it = compute_colours().find(compute);
  return it == compute_colours().end() ? "#0ea5e9" : it->second;
}

}  // namespace

std::string scatter_svg(const Json& r) {
  if (!r.contains("feasible") || !r["feasible"].is_array() || r["feasible"].empty()) return "";
  const Json& pts = r["feasible"];
  bool job = false;
  for (const auto& p : pts) job = job || p.contains("time_hours");
  const char* ykey = job ? "time_hours" : "throughput";
  struct P {
    const Json* j;
    double x, y;
  };
  std::vector<P> drawn;
  for (const auto& p : pts) {
    auto x = number(p, "cost");
    auto y = number(p, ykey);
    if (x && y) drawn.push_back({&p, *x, *y});
  }
  if (drawn.empty()) return "";

  const double W = 960, H = 520, left = 84, right = 24, top = 44, bottom = 70;
  double xmin = drawn[0].x, xmax = xmin, ymin = drawn[0].y, ymax = ymin;
  for (const auto& p : drawn) {
    xmin = std::min(xmin, p.x);
    xmax = std::max(xmax, p.x);
    ymin = std::min(ymin, p.y);
    ymax = std::max(ymax, p.y);
  }
  const Scale xs = make_scale(xmin, xmax, left, W - right);
  const Scale ys = make_scale(ymin, ymax, H - bottom, top);

  const std::string unit = r.contains("recommendation") && r["recommendation"].is_object() ? str(r["recommendation"], "throughput_unit", "") : "";
  const std::string xtitle = std::string(job ? "Cost for the run (USD)" : "Cost (USD per hour)") + (xs.log ? ", log scale" : "");
  const std::string ytitle = std::string(job ? "Time (hours)" : "Throughput" + (unit.empty() ? std::string() : " (" + unit + ")")) +
                             (ys.log ? ", log scale" : "");

  std::string s = fmt::format(
      "<svg id=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"chart-title\" data-points=\"{}\" data-x=\"cost\" data-y=\"{}\">\n"
      "<title id=\"chart-title\">{} against {} for {} feasible options</title>\n",
      W, H, drawn.size(), ykey, html_escape(xtitle), html_escape(ytitle), drawn.size());
  // Grid, ticks and axes.
  s += "<g class=\"axes\">\n";
  for (double t : xs.ticks) {
    const double x = xs(t);
    s += fmt::format("<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>", fmt_px(x), fmt_px(top), fmt_px(H - bottom));
    s += fmt::format("<text class=\"tick x-tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", fmt_px(x), fmt_px(H - bottom + 18),
                     html_escape(util::format_usd(t)));
  }
  for (double t : ys.ticks) {
    const double y = ys(t);
    s += fmt::format("<line class=\"grid\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\"/>", fmt_px(left), fmt_px(W - right), fmt_px(y));
    s += fmt::format("<text class=\"tick y-tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", fmt_px(left - 8), fmt_px(y + 4),
                     html_escape(util::format_quantity(t)));
  }
  s += fmt::format("<line class=\"axis x-axis\" x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\"/>", fmt_px(left), fmt_px(W - right), fmt_px(H - bottom));
  s += fmt::format("<line class=\"axis y-axis\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>\n", fmt_px(left), fmt_px(top), fmt_px(H - bottom));
  s += fmt::format("<text class=\"axis-title x-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", fmt_px((left + W - right) / 2),
                   fmt_px(H - 24), html_escape(xtitle + " \u2192 lower is better"));
  s += fmt::format("<text class=\"axis-title y-title\" transform=\"translate(20 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                   fmt_px((top + H - bottom) / 2), html_escape(ytitle + (job ? " \u2192 lower is better" : " \u2192 higher is better")));
  s += "</g>\n";

  // The Pareto front as a staircase through its points, by cost.
  std::vector<P> front;
  for (const auto& p : drawn) {
    if ((*p.j).value("pareto", false)) front.push_back(p);
  }
  std::sort(front.begin(), front.end(), [](const P& a, const P& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  if (front.size() > 1) {
    std::string pointsattr;
    for (std::size_t k = 0; k < front.size(); ++k) {
      if (k) pointsattr += fmt::format("{},{} ", fmt_px(xs(front[k].x)), fmt_px(ys(front[k - 1].y)));
      pointsattr += fmt::format("{},{} ", fmt_px(xs(front[k].x)), fmt_px(ys(front[k].y)));
    }
    s += "<polyline class=\"pareto-front\" points=\"" + pointsattr + "\"/>\n";
  }

  // Points: plain ones first, then the front, then the pick, so the marked ones stay on top.
  const P* pick = nullptr;
  std::string plain, marked;
  for (const auto& p : drawn) {
    const bool pareto = p.j->value("pareto", false), recommended = p.j->value("recommended", false);
    if (recommended) pick = &p;
    std::string cls = "point";
    if (pareto) cls += " pareto";
    if (recommended) cls += " recommended";
    const std::string compute = str(*p.j, "compute");
    const int count = (*p.j).contains("count") && (*p.j)["count"].is_number_integer() ? (*p.j)["count"].get<int>() : 1;
    const std::string ytext = job ? util::format_hours(p.y) : util::format_quantity(p.y) + (unit.empty() ? "" : " " + unit);
    const std::string tip = fmt::format("{}{} on {} ({}, {}): {} {}; {}{}{}", count > 1 ? fmt::format("{} x ", count) : "", str(*p.j, "instance"),
                                        str(*p.j, "service"), str(*p.j, "cloud"), compute, money(p.x), job ? "for the run" : "per hour", ytext,
                                        pareto ? "; Pareto front" : "", recommended ? "; recommended" : "");
    const std::string circle = fmt::format(
        "<circle class=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" data-instance=\"{}\" data-service=\"{}\" data-cloud=\"{}\" "
        "data-compute=\"{}\"><title>{}</title></circle>\n",
        cls, fmt_px(xs(p.x)), fmt_px(ys(p.y)), recommended ? 8 : pareto ? 6 : 4.5, colour_of(compute), esc(*p.j, "instance"), esc(*p.j, "service"),
        esc(*p.j, "cloud"), html_escape(compute), html_escape(tip));
    (pareto || recommended ? marked : plain) += circle;
  }
  s += "<g class=\"points\">\n" + plain + marked + "</g>\n";
  // Labels: the pick's, then every other point on the Pareto front, each placed beside its point
  // where it overlaps no label placed before it (text is about 7 px a character at 12-13 px).
  struct Box {
    double x0, y0, x1, y1;
  };
  std::vector<Box> placed;
  auto overlaps = [&](const Box& b) {
    for (const auto& o : placed) {
      if (b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1) return true;
    }
    return b.x0 < left || b.x1 > W - right || b.y0 < top - 10 || b.y1 > H - bottom;
  };
  auto label = [&](const P& p, const std::string& text, const char* cls, double char_px) {
    const double x = xs(p.x), y = ys(p.y), w = char_px * static_cast<double>(util::display_width(text)) + 4;
    // Beside the point first, then further up or down (with a leader line back to the point), on
    // the side with room.
    struct Try {
      double dx, dy;
      bool end;
    };
    std::vector<Try> tries;
    const bool right_first = x < W * 0.6;
    for (double dy : {-12.0, 18.0, -28.0, 34.0, -44.0, 50.0, -60.0, 66.0, -76.0, 82.0, -92.0, 98.0}) {
      tries.push_back({right_first ? 13.0 : -13.0, dy, !right_first});
      tries.push_back({right_first ? -13.0 : 13.0, dy, right_first});
    }
    auto box_of = [&](const Try& t) {
      const double tx = x + t.dx;
      return Box{t.end ? tx - w : tx, y + t.dy - 13, t.end ? tx : tx + w, y + t.dy + 3};
    };
    const Try* chosen = &tries.front();
    for (const auto& t : tries) {
      if (!overlaps(box_of(t))) {
        chosen = &t;
        break;
      }
    }
    placed.push_back(box_of(*chosen));
    const double tx = x + chosen->dx, ty = y + chosen->dy;
    std::string out;
    if (std::fabs(chosen->dy) > 20) {
      out += fmt::format("<line class=\"label-leader\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", fmt_px(x), fmt_px(y), fmt_px(tx),
                         fmt_px(chosen->dy < 0 ? ty + 3 : ty - 12));
    }
    return out + fmt::format("<text class=\"{}\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>\n", cls, fmt_px(tx), fmt_px(ty),
                             chosen->end ? "end" : "start", html_escape(text));
  };
  auto name_of = [](const P& p) {
    const int count = (*p.j).contains("count") && (*p.j)["count"].is_number_integer() ? (*p.j)["count"].get<int>() : 1;
    return (count > 1 ? fmt::format("{} x ", count) : std::string()) + str(*p.j, "instance");
  };
  if (pick) s += label(*pick, "recommended: " + name_of(*pick), "pick-label", 7.8);
  for (const auto& p : front) {
    if (pick && p.j == pick->j) continue;
    s += label(p, name_of(p), "pareto-label", 6.8);
  }

  // Legend: compute kinds present, the front and the pick (swatches are rounded squares, so that
  // the only circles are the points).
  std::vector<std::string> kinds;
  for (const auto& p : drawn) {
    const std::string k = str(*p.j, "compute");
    if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
  }
  std::sort(kinds.begin(), kinds.end(), [](const std::string& a, const std::string& b) {
    const std::vector<std::string> order{"cpu", "gpu", "tpu", "inferentia", "trainium"};
    return std::find(order.begin(), order.end(), a) < std::find(order.begin(), order.end(), b);
  });
  s += "<g class=\"legend\">\n";
  double lx = left;
  for (const auto& k : kinds) {
    s += fmt::format("<rect x=\"{}\" y=\"14\" width=\"11\" height=\"11\" rx=\"5.5\" fill=\"{}\"/><text x=\"{}\" y=\"24\">{}</text>\n", fmt_px(lx),
                     colour_of(k), fmt_px(lx + 16), html_escape(upper(k)));
    lx += 36 + 7.5 * static_cast<double>(k.size());
  }
  lx += 12;
  const std::string front_text = fmt::format("Pareto front ({} points)", front.size());
  s += fmt::format("<line class=\"pareto-front\" x1=\"{}\" x2=\"{}\" y1=\"19.5\" y2=\"19.5\"/><text x=\"{}\" y=\"24\">{}</text>\n",
                   fmt_px(lx), fmt_px(lx + 26), fmt_px(lx + 32), front_text);
  lx += 32 + 7.5 * static_cast<double>(front_text.size()) + 24;
  s += fmt::format("<rect x=\"{}\" y=\"12\" width=\"15\" height=\"15\" rx=\"7.5\" fill=\"#fff\" stroke=\"#dc2626\" stroke-width=\"3\"/>"
                   "<text x=\"{}\" y=\"24\">recommended</text>\n",
                   fmt_px(lx), fmt_px(lx + 21));
  s += "</g>\n</svg>\n";
  return s;
}

std::string recommendation_html(const Json& r) {
  std::string b;
  const Json& w = r["workload"];
  const std::string model = w.contains("model") ? str(w, "model") : str(w, "family");
  b += "<header>\n<h1>aiadvise recommendation</h1>\n<p class=\"workload\" id=\"workload\">" + workload_html(w) + "</p>\n";
  b += fmt::format("<p class=\"meta\">Catalog prices as of {} &middot; {} candidates considered</p>\n</header>\n", esc(r, "catalog_as_of"),
                   r.value("candidates_considered", 0));

  const bool feasible = r.contains("recommendation") && r["recommendation"].is_object();
  if (!feasible) {
    b += fmt::format("<section id=\"recommendation\" class=\"card none\">\n<h2>No feasible option</h2>\n<p>None of the {} candidates meets the "
                     "workload's needs.</p>\n",
                     r.value("candidates_considered", 0));
    if (r.contains("nearest") && !r["nearest"].empty()) {
      b += "<h3>Nearest options</h3>\n<ul id=\"nearest\">";
      for (const auto& n : r["nearest"]) {
        b += fmt::format("<li><strong>{} x {}</strong> on {} ({}) at {}", n.value("count", 1), esc(n, "instance"), esc(n, "service"), esc(n, "cloud"),
                         money(number(n, "price_usd_per_hour"), "/h"));
        if (n.contains("excluded_by")) b += list(n["excluded_by"]);
        b += "</li>";
      }
      b += "</ul>\n";
    }
    if (r.contains("relaxations") && !r["relaxations"].empty()) {
      b += "<h3>What to change</h3>\n<p>Each change alone gives an option.</p>\n<ul id=\"relaxations\">";
      for (const auto& x : r["relaxations"]) {
        auto value = [](const Json& v) { return v.is_number() ? qty(v.get<double>()) : html_escape(v.get<std::string>()); };
        const Json& o = x["option"];
        b += fmt::format("<li><strong>{}: {} &rarr; {}</strong>", esc(x, "field"), value(x["from"]), value(x["to"]));
        if (auto f = number(x, "factor")) b += fmt::format(" ({}x)", qty(*f));
        b += fmt::format(": {} x {} on {} ({} {}) at {}</li>", o.value("count", 1), esc(o, "instance"), esc(o, "service"), esc(o, "cloud"),
                         esc(o, "region", ""),
                         is_job(o) ? money(number(o, "cost_usd"), " for the run") : money(number(o, "price_usd_per_hour"), "/h"));
      }
      b += "</ul>\n";
    }
    b += "</section>\n";
  } else {
    const Json& o = r["recommendation"];
    const bool job = is_job(o);
    const std::string acc = o["accelerator"].is_null() ? "CPU only"
                                                      : fmt::format("{} x {}", o.value("accelerators_per_instance", 0), str(o, "accelerator"));
    b += "<section id=\"recommendation\" class=\"card pick\">\n<h2>Recommendation</h2>\n";
    b += fmt::format("<div class=\"headline\">{} x <span class=\"instance\" id=\"recommended-instance\">{}</span> "
                     "<span class=\"sub\">on {} &middot; {} {}</span></div>\n",
                     o.value("count", 1), esc(o, "instance"), esc(o, "service"), esc(o, "cloud"), esc(o, "region", ""));
    std::vector<std::pair<std::string, std::string>> facts{
        {"Compute", upper(str(r["compute"], "choice"))},
        {"Accelerators per instance", acc},
        {"Deployment", str(r["deployment"], "choice") + " (" + str(r["deployment"], "service") + ")"},
        {"Price", money(number(o, "price_usd_per_hour"), " per hour")}};
    if (job) {
      facts.push_back({"Cost for the run", money(number(o, "cost_usd"))});
      if (auto h = number(o, "time_hours")) facts.push_back({"Time", util::format_hours(*h)});
    } else if (auto m = number(o, "cost_usd_per_month")) {
      facts.push_back({"Per month", fmt::format("{} ({:g} h)", util::format_usd(*m), r.value("hours_per_month", 730.0))});
    }
    if (auto t = number(o, "throughput")) facts.push_back({"Throughput", util::format_quantity(*t) + " " + str(o, "throughput_unit", "")});
    const auto ttft = number(o, "ttft_ms"), tpot = number(o, "tpot_ms"), tokens = number(w, "output_tokens");
    if (!job && ttft && tpot && tokens) {
      facts.push_back({"A request", fmt::format("TTFT {} + {} tokens x {} TPOT{}", util::format_duration_ms(*ttft), util::format_quantity(*tokens),
                                                util::format_duration_ms(*tpot),
                                                number(o, "latency_ms") ? " = " + util::format_duration_ms(*number(o, "latency_ms")) : "")});
    } else if (auto v = number(o, "latency_ms")) {
      facts.push_back({"Latency", util::format_duration_ms(*v)});
    }
    if (!job) {
      if (auto v = number(o, "cost_usd_per_1m_tokens")) facts.push_back({"Per 1M output tokens", money(v)});
      else if (auto v2 = number(o, "cost_usd_per_1k_requests")) facts.push_back({"Per 1k requests", money(v2)});
    }
    if (auto v = number(o, "memory_needed_gib")) {
      facts.push_back({"Memory needed / available", fmt::format("{} / {} per device", util::format_gib(*v),
                                                                util::format_gib(number(o, "memory_available_gib").value_or(0)))});
    }
    b += "<dl class=\"facts\">\n";
    for (const auto& [k, v] : facts) b += "<div><dt>" + html_escape(k) + "</dt><dd>" + html_escape(v) + "</dd></div>\n";
    b += "</dl>\n</section>\n";

    b += "<section id=\"reasons\" class=\"card\">\n<h2>Why</h2>\n<div class=\"cols\">\n";
    b += "<div id=\"compute-reasons\"><h3>Compute: " + html_escape(upper(str(r["compute"], "choice"))) + "</h3>\n" + list(r["compute"]["reasons"]) +
         "</div>\n";
    b += "<div id=\"deployment-reasons\"><h3>Deployment: " + esc(r["deployment"], "choice") + " (" + esc(r["deployment"], "service") + ")</h3>\n" +
         list(r["deployment"]["reasons"]) + "</div>\n";
    b += "</div>\n</section>\n";

    if (r.contains("api_vs_self_host") && !r["api_vs_self_host"].empty()) {
      b += "<section id=\"api\" class=\"card\">\n<h2>API or self-host</h2>\n<table>\n<thead><tr><th>service</th><th>model</th>"
           "<th class=\"num\">in / out per 1M tokens</th><th class=\"num\">API at the stated load</th><th class=\"num\">self-hosted</th>"
           "<th class=\"num\">break-even tokens/day</th><th>cheaper now</th></tr></thead>\n<tbody>\n";
      for (const auto& a : r["api_vs_self_host"]) {
        b += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                         "<td class=\"num\">{}</td><td>{}</td></tr>\n",
                         esc(a, "service"), esc(a, "model"), money(number(a, "input_usd_per_1m_tokens")), money(number(a, "output_usd_per_1m_tokens")),
                         a.contains("api_usd_for_run") ? money(number(a, "api_usd_for_run"), " for the job") : money(number(a, "api_usd_per_hour"), "/h"),
                         a.contains("api_usd_for_run") ? money(number(a, "self_host_usd_for_run"), " for the job")
                                                       : money(number(a, "self_host_usd_per_hour"), "/h"),
                         qty(number(a, "break_even_tokens_per_day")), esc(a, "cheaper_at_stated_load"));
      }
      b += "</tbody>\n</table>\n<p class=\"meta\">Prices as of ";
      std::vector<std::string> sources;
      for (const auto& a : r["api_vs_self_host"]) sources.push_back(esc(a, "as_of") + ", source: " + html_escape(without_scheme(str(a, "source"))));
      b += util::join(sources, "; ") + "</p>\n</section>\n";
    }

    const std::string svg = scatter_svg(r);
    if (!svg.empty()) {
      const bool jobchart = [&] {
        for (const auto& p : r["feasible"]) if (p.contains("time_hours")) return true;
        return false;
      }();
      b += fmt::format("<section id=\"chart-section\" class=\"card\">\n<h2>{} &mdash; all {} feasible options</h2>\n<figure>\n",
                       jobchart ? "Cost against time" : "Cost against throughput", r["feasible"].size());
      b += svg;
      b += fmt::format("<figcaption>Each point is one feasible instance and service; colour is the compute kind. Points on the dashed line are the "
                       "Pareto front, each labelled: no other option is both cheaper and {}. The red ring marks the recommendation. Hover a "
                       "point for its details.</figcaption>\n</figure>\n</section>\n",
                       jobchart ? "faster" : "of higher throughput");
    }

    b += "<section id=\"alternatives\" class=\"card\">\n<h2>Options</h2>\n<table>\n<thead><tr><th class=\"num\">#</th><th>instance</th><th>cloud</th>"
         "<th>service</th><th class=\"num\">count</th><th>compute</th><th class=\"num\">$/hour</th>";
    const std::string unit = str(o, "throughput_unit", "");
    b += job ? "<th class=\"num\">$/run</th><th class=\"num\">time</th>" : "<th class=\"num\">$/month</th><th class=\"num\">latency</th>";
    b += "<th class=\"num\">" + html_escape(unit.empty() ? "throughput" : unit) + "</th><th class=\"num\">score</th></tr></thead>\n<tbody>\n";
    int rank = 1;
    auto row = [&](const Json& a, bool pick) {
      b += fmt::format("<tr class=\"{}\"><td class=\"num\">{}</td><td class=\"instance\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td>"
                       "<td class=\"num\">{}</td>",
                       pick ? "option pick" : "option", rank++, esc(a, "instance"), esc(a, "cloud"), esc(a, "service"), a.value("count", 1),
                       esc(a, "compute"), money(number(a, "price_usd_per_hour")));
      if (job) {
        const auto h = number(a, "time_hours");
        b += fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td>", money(number(a, "cost_usd")), h ? util::format_hours(*h) : "-");
      } else {
        const auto ms = number(a, "latency_ms");
        b += fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td>", money(number(a, "cost_usd_per_month")),
                         ms ? util::format_duration_ms(*ms) : "-");
      }
      b += fmt::format("<td class=\"num\">{}</td>", qty(number(a, "throughput")));
      auto score = number(a, "score");
      b += fmt::format("<td class=\"num\">{}</td></tr>\n", score ? fmt::format("{:.3f}", *score) : "-");
    };
    row(o, true);
    for (const auto& a : r["alternatives"]) row(a, false);
    b += "</tbody>\n</table>\n</section>\n";
  }

  b += "<div class=\"cols\">\n<section id=\"excluded\" class=\"card\">\n<h2>Excluded candidates</h2>\n";
  if (r.contains("excluded") && !r["excluded"].empty()) {
    b += "<table>\n<thead><tr><th>rule</th><th class=\"num\">candidates</th></tr></thead>\n<tbody>\n";
    for (const auto& [rule, count] : r["excluded"].items()) {
      b += fmt::format("<tr><td class=\"rule\">{}</td><td class=\"num\">{}</td></tr>\n", html_escape(rule), count.is_number() ? count.dump() : "-");
    }
    b += "</tbody>\n</table>\n";
  } else {
    b += "<p>None.</p>\n";
  }
  b += "</section>\n<section id=\"assumed\" class=\"card\">\n<h2>Assumed defaults</h2>\n" +
       list(w.contains("assumed") ? w["assumed"] : Json::array()) + "</section>\n</div>\n";
  if (r.contains("warnings") && !r["warnings"].empty()) b += "<section id=\"warnings\" class=\"card\">\n<h2>Warnings</h2>\n" + list(r["warnings"]) + "</section>\n";
  return page("aiadvise recommendation: " + model, b);
}

namespace {

std::string proposed_text(const Json& w) {
  const Json& p = w["proposed"];
  std::string text = str(p, "instance", "");
  if (text.empty()) text = "(no instance)";
  if (p.value("count", 0) > 0) text = fmt::format("{} x {}", p.value("count", 0), text);
  if (!str(p, "service", "").empty()) text += " on " + str(p, "service", "");
  return text;
}

std::string best_text(const Json& w) {
  const Json& b = w["best"];
  if (!b.is_object()) return "none feasible";
  std::string price = b.contains("price_usd_per_hour") ? " at " + money(number(b, "price_usd_per_hour"), "/h") : "";
  if (b.contains("cost_usd")) price += " (" + money(number(b, "cost_usd")) + " for the run)";
  if (str(b, "instance") == "serverless") return str(b, "service") + price;
  return fmt::format("{} x {} on {}{}", b.value("count", 1), str(b, "instance"), str(b, "service"), price);
}

}  // namespace

std::string check_html(const Json& r) {
  const Json& s = r["summary"];
  std::string b = "<header>\n<h1>aiadvise check</h1>\n";
  b += fmt::format("<p class=\"workload\" id=\"summary\" data-failed=\"{}\">{} workload(s): <span class=\"badge pass\">{} pass</span> "
                   "<span class=\"badge warn\">{} warn</span> <span class=\"badge fail\">{} fail</span></p>\n",
                   s.value("failed", false) ? "true" : "false", s.value("workloads", 0), s.value("pass", 0), s.value("warn", 0), s.value("fail", 0));
  b += fmt::format("<p class=\"meta\">Fails on: {} &middot; max cost ratio {:g} &middot; min cost difference ${:g}</p>\n</header>\n", esc(s, "fail_on"),
                   number(s, "max_cost_ratio").value_or(0), number(s, "min_cost_difference_usd").value_or(0));
  b += "<section class=\"card\">\n<h2>Workloads</h2>\n<table id=\"workloads\">\n<thead><tr><th>workload</th><th>verdict</th><th>proposed</th>"
       "<th>aiadvise would pick</th><th>findings</th></tr></thead>\n<tbody>\n";
  for (const auto& w : r["workloads"]) {
    const std::string verdict = str(w, "verdict");
    const std::string v = verdict == "pass" || verdict == "warn" || verdict == "fail" ? verdict : "fail";
    b += fmt::format("<tr class=\"workload {}\"><td class=\"name\"><strong>{}</strong></td><td><span class=\"badge {}\">{}</span></td><td>{}</td><td>{}</td><td>", v,
                     esc(w, "name"), v, html_escape(verdict), html_escape(proposed_text(w)), html_escape(best_text(w)));
    if (w.contains("findings") && !w["findings"].empty()) {
      b += "<ul class=\"findings\">";
      for (const auto& f : w["findings"]) {
        const std::string sev = str(f, "severity");
        b += fmt::format("<li class=\"finding {}\"><span class=\"sev-{}\">{}</span> <span class=\"rule\">{}</span>: {}</li>", html_escape(sev),
                         html_escape(sev), html_escape(sev), esc(f, "rule"), esc(f, "message"));
      }
      b += "</ul>";
    } else {
      b += "&mdash;";
    }
    b += "</td></tr>\n";
  }
  b += "</tbody>\n</table>\n</section>\n";
  if (r.contains("skipped") && !r["skipped"].empty()) {
    b += "<section id=\"skipped\" class=\"card\">\n<h2>Resources not checked</h2>\n<ul>";
    for (const auto& k : r["skipped"]) b += fmt::format("<li><code>{}</code> ({}): {}</li>", esc(k, "address"), esc(k, "type"), esc(k, "reason"));
    b += "</ul>\n</section>\n";
  }
  if (r.contains("warnings") && !r["warnings"].empty()) b += "<section id=\"warnings\" class=\"card\">\n<h2>Warnings</h2>\n" + list(r["warnings"]) + "</section>\n";
  return page("aiadvise check", b);
}

}  // namespace aiadvise::render
