// Renderers of the check report: a terminal table, a pull-request comment in Markdown, and GitHub
// Actions workflow commands (SARIF and JUnit XML are in render_ci.cpp). They read the report; they
// never compute.

#include <fmt/format.h>

#include <cmath>

#include "aiadvise/check/check.hpp"
#include "aiadvise/util/human.hpp"
#include "aiadvise/util/table.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::check {

using util::Json;

namespace {

std::string proposed_text(const Json& w) {
  const auto& p = w["proposed"];
  std::string text = p["instance"].get<std::string>();
  if (text.empty()) text = "(no instance)";
  if (p["count"].get<int>() > 0) text = fmt::format("{} x {}", p["count"].get<int>(), text);
  if (!p["service"].get<std::string>().empty()) text += " on " + p["service"].get<std::string>();
  return text;
}

std::string best_text(const Json& w) {
  const auto& b = w["best"];
  if (b.is_null()) return "none feasible";
  std::string price = b.contains("price_usd_per_hour") ? " at " + util::format_usd(b["price_usd_per_hour"].get<double>()) + "/h" : "";
  if (b.contains("cost_usd_per_month")) price += " (" + util::format_usd(b["cost_usd_per_month"].get<double>()) + "/month)";
  if (b.contains("cost_usd")) price += " (" + util::format_usd(b["cost_usd"].get<double>()) + " for the run)";
  if (b["instance"] == "serverless") return b["service"].get<std::string>() + price;  // no instances to count
  return fmt::format("{} x {} on {}{}", b["count"].get<int>(), b["instance"].get<std::string>(), b["service"].get<std::string>(), price);
}

// GitHub workflow commands end at a newline and treat '%', '\r' and '\n' specially.
std::string github_escape(const std::string& text, bool property) {
  std::string out;
  for (char ch : text) {
    if (ch == '%') out += "%25";
    else if (ch == '\r') out += "%0D";
    else if (ch == '\n') out += "%0A";
    else if (property && ch == ':') out += "%3A";
    else if (property && ch == ',') out += "%2C";
    else out += ch;
  }
  return out;
}

std::string summary_line(const Json& r) {
  const auto& s = r["summary"];
  return fmt::format("{} workload(s): {} pass, {} warn, {} fail", s["workloads"].get<int>(), s["pass"].get<int>(), s["warn"].get<int>(),
                     s["fail"].get<int>());
}

/// "517 resources not checked: 496 not ML compute, 12 data source, ..."
std::string skipped_line(const Json& r) {
  std::vector<std::string> parts;
  std::size_t total = 0;
  for (const auto& k : r["skipped_summary"]) {
    parts.push_back(fmt::format("{} {}", k["count"].get<int>(), k["kind"].get<std::string>()));
    total += k["count"].get<std::size_t>();
  }
  return fmt::format("{} resource(s) not checked: {}", total, util::join(parts, ", "));
}

std::string money_per_hour(double usd) { return fmt::format("${:.2f}/h", usd); }

/// "Compared with BASE: 2 new, 1 resolved, 5 unchanged finding(s); cost $1.00/h -> $2.50/h (+$1.50/h)"
std::string baseline_line(const Json& b) {
  const auto& c = b["cost"];
  const double diff = c["difference_usd_per_hour"].get<double>();
  return fmt::format("Compared with {}: {} new, {} resolved, {} unchanged finding(s); proposed cost {} -> {} ({}{})",
                     b["file"].get<std::string>(), b["counts"]["new"].get<int>(), b["counts"]["resolved"].get<int>(),
                     b["counts"]["unchanged"].get<int>(), money_per_hour(c["before_usd_per_hour"].get<double>()),
                     money_per_hour(c["after_usd_per_hour"].get<double>()), diff >= 0 ? "+" : "-", money_per_hour(std::abs(diff)));
}

/// "aiadvise.json:12" for the workload's first location, "" when it has none.
std::string where(const Json& w) {
  if (!w.contains("locations") || w["locations"].empty()) return "";
  const auto& l = w["locations"][0];
  return fmt::format("{}:{}", l["file"].get<std::string>(), l["line"].get<int>());
}

}  // namespace

std::string render_table(const Json& r, std::size_t width, bool verbose) {
  std::string out;
  util::Table t({"workload", "verdict", "proposed", "aiadvise would pick"});
  for (const auto& w : r["workloads"]) {
    t.add_row({util::escape_for_terminal(w["name"].get<std::string>()), w["verdict"].get<std::string>(),
               util::escape_for_terminal(proposed_text(w)), best_text(w)});
  }
  // NOTE: at a terminal's width the pick may be shortened in the table; each workload with
  // findings repeats it in full below.
  out += t.render(width);
  for (const auto& w : r["workloads"]) {
    const auto& assumed = w["proposed"]["assumed"];
    if (w["findings"].empty() && assumed.empty()) continue;
    const std::string at = where(w);
    out += fmt::format("\n{} ({}){}:\n", util::escape_for_terminal(w["name"].get<std::string>()), w["verdict"].get<std::string>(),
                       at.empty() ? "" : ", " + util::escape_for_terminal(at));
    for (const auto& f : w["findings"]) {
      out += util::wrap(util::escape_for_terminal(f["message"].get<std::string>()), width,
                        fmt::format("  {} {}: ", f["severity"].get<std::string>(), f["rule"].get<std::string>()), "    ");
    }
    for (const auto& a : assumed) out += util::wrap(util::escape_for_terminal(a.get<std::string>()), width, "  assumed: ", "    ");
    if (!w["best"].is_null() && !w["findings"].empty()) out += util::wrap(best_text(w), width, "  aiadvise would pick: ", "    ");
  }
  if (!r["skipped"].empty()) {
    out += "\n" + util::wrap(skipped_line(r) + (verbose ? ":" : " (--verbose lists them)"), width, "", "  ");
    if (verbose) {
      for (const auto& s : r["skipped"]) {
        out += util::wrap(util::escape_for_terminal(s["reason"].get<std::string>()), width,
                          fmt::format("  {} ({}): ", util::escape_for_terminal(s["address"].get<std::string>()), s["type"].get<std::string>()),
                          "    ");
      }
    }
  }
  for (const auto& w : r["warnings"]) out += util::wrap(util::escape_for_terminal(w.get<std::string>()), width, "warning: ", "  ");
  if (r.contains("baseline")) out += "\n" + util::wrap(util::escape_for_terminal(baseline_line(r["baseline"])), width, "", "  ");
  out += "\n" + summary_line(r) + "\n";
  return out;
}

std::string render_markdown(const Json& r) {
  std::string out = "## aiadvise check\n\n" + summary_line(r) + "\n\n";
  out += "| workload | verdict | proposed | aiadvise would pick |\n|---|---|---|---|\n";
  auto icon = [](const std::string& v) { return v == "pass" ? "✅ pass" : v == "warn" ? "⚠️ warn" : "❌ fail"; };
  for (const auto& w : r["workloads"]) {
    out += fmt::format("| {} | {} | {} | {} |\n", w["name"].get<std::string>(), icon(w["verdict"].get<std::string>()), proposed_text(w),
                       best_text(w));
  }
  for (const auto& w : r["workloads"]) {
    const auto& assumed = w["proposed"]["assumed"];
    if (w["verdict"] == "pass" && assumed.empty()) continue;
    out += fmt::format("\n### {} — {}\n\n", w["name"].get<std::string>(), w["verdict"].get<std::string>());
    if (const std::string at = where(w); !at.empty()) out += fmt::format("`{}`\n\n", at);
    for (const auto& f : w["findings"]) {
      out += fmt::format("- **{}** `{}`: {}\n", f["severity"].get<std::string>(), f["rule"].get<std::string>(), f["message"].get<std::string>());
    }
    for (const auto& a : assumed) out += "- assumed: " + a.get<std::string>() + "\n";
    if (!w["best"].is_null() && w["verdict"] != "pass") out += "\naiadvise would pick: " + best_text(w) + "\n";
  }
  if (r.contains("baseline")) {
    const auto& b = r["baseline"];
    out += "\n### Changes since the baseline\n\n" + baseline_line(b) + "\n\n";
    for (const char* kind : {"new", "resolved"}) {
      for (const auto& f : b["findings"][kind]) {
        out += fmt::format("- {} `{}` in {}: {}\n", kind, f["rule"].get<std::string>(), f["workload"].get<std::string>(),
                           f["message"].get<std::string>());
      }
    }
    for (const auto& c : b["cost"]["changes"]) {
      auto price = [](const Json& v) { return v.is_null() ? std::string("none") : money_per_hour(v.get<double>()); };
      out += fmt::format("- cost of {}: {} -> {}\n", c["workload"].get<std::string>(), price(c["before_usd_per_hour"]),
                         price(c["after_usd_per_hour"]));
    }
  }
  if (!r["skipped"].empty()) {
    out += "\n<details><summary>" + skipped_line(r) + "</summary>\n\n";
    for (const auto& s : r["skipped"]) {
      out += fmt::format("- `{}` ({}): {}\n", s["address"].get<std::string>(), s["type"].get<std::string>(), s["reason"].get<std::string>());
    }
    out += "\n</details>\n";
  }
  for (const auto& w : r["warnings"]) out += "\n> warning: " + w.get<std::string>() + "\n";
  return out;
}

std::string render_github(const Json& r, bool verbose) {
  std::string out;
  for (const auto& w : r["workloads"]) {
    // file and line make the annotation show on the line of the project file (or plan) it is about.
    std::string place;
    if (w.contains("locations") && !w["locations"].empty()) {
      const auto& l = w["locations"][0];
      place = fmt::format("file={},line={},", github_escape(l["file"].get<std::string>(), true), l["line"].get<int>());
    }
    for (const auto& f : w["findings"]) {
      const std::string level = f["severity"] == "fail" ? "error" : "warning";
      const std::string title = fmt::format("aiadvise: {}: {}", w["name"].get<std::string>(), f["rule"].get<std::string>());
      out += fmt::format("::{} {}title={}::{}\n", level, place, github_escape(title, true), github_escape(f["message"].get<std::string>(), false));
    }
  }
  if (!r["skipped"].empty()) {
    out += fmt::format("::notice title=aiadvise: not checked::{}\n", github_escape(skipped_line(r), false));
    if (verbose) {
      for (const auto& s : r["skipped"]) {
        out += fmt::format("::debug::{}\n", github_escape(s["address"].get<std::string>() + " (" + s["type"].get<std::string>() +
                                                          "): " + s["reason"].get<std::string>(), false));
      }
    }
  }
  for (const auto& w : r["warnings"]) out += fmt::format("::warning title=aiadvise::{}\n", github_escape(w.get<std::string>(), false));
  if (r.contains("baseline")) out += fmt::format("::notice title=aiadvise baseline::{}\n", github_escape(baseline_line(r["baseline"]), false));
  out += fmt::format("::notice title=aiadvise check::{}\n", github_escape(summary_line(r), false));
  return out;
}

}  // namespace aiadvise::check
