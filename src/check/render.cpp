// Renderers of the check report: a terminal table, a pull-request comment in Markdown, and GitHub
// Actions workflow commands. They read the report; they never compute.

#include <fmt/format.h>

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

}  // namespace

std::string render_table(const Json& r, std::size_t width) {
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
    if (w["findings"].empty()) continue;
    out += fmt::format("\n{} ({}):\n", util::escape_for_terminal(w["name"].get<std::string>()), w["verdict"].get<std::string>());
    for (const auto& f : w["findings"]) {
      out += util::wrap(util::escape_for_terminal(f["message"].get<std::string>()), width,
                        fmt::format("  {} {}: ", f["severity"].get<std::string>(), f["rule"].get<std::string>()), "    ");
    }
    if (!w["best"].is_null()) out += util::wrap(best_text(w), width, "  aiadvise would pick: ", "    ");
  }
  for (const auto& s : r["skipped"]) {
    out += util::wrap(util::escape_for_terminal(s["reason"].get<std::string>()), width,
                      fmt::format("skipped {} ({}): ", util::escape_for_terminal(s["address"].get<std::string>()), s["type"].get<std::string>()),
                      "  ");
  }
  for (const auto& w : r["warnings"]) out += util::wrap(util::escape_for_terminal(w.get<std::string>()), width, "warning: ", "  ");
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
    if (w["verdict"] == "pass") continue;
    out += fmt::format("\n### {} — {}\n\n", w["name"].get<std::string>(), w["verdict"].get<std::string>());
    for (const auto& f : w["findings"]) {
      out += fmt::format("- **{}** `{}`: {}\n", f["severity"].get<std::string>(), f["rule"].get<std::string>(), f["message"].get<std::string>());
    }
    if (!w["best"].is_null()) out += "\naiadvise would pick: " + best_text(w) + "\n";
  }
  if (!r["skipped"].empty()) {
    out += "\n<details><summary>Resources not checked</summary>\n\n";
    for (const auto& s : r["skipped"]) {
      out += fmt::format("- `{}` ({}): {}\n", s["address"].get<std::string>(), s["type"].get<std::string>(), s["reason"].get<std::string>());
    }
    out += "\n</details>\n";
  }
  return out;
}

std::string render_github(const Json& r) {
  std::string out;
  for (const auto& w : r["workloads"]) {
    for (const auto& f : w["findings"]) {
      const std::string level = f["severity"] == "fail" ? "error" : "warning";
      const std::string title = fmt::format("aiadvise: {}: {}", w["name"].get<std::string>(), f["rule"].get<std::string>());
      out += fmt::format("::{} title={}::{}\n", level, github_escape(title, true), github_escape(f["message"].get<std::string>(), false));
    }
  }
  for (const auto& s : r["skipped"]) {
    out += fmt::format("::notice title=aiadvise: not checked::{}\n",
                       github_escape(s["address"].get<std::string>() + " (" + s["type"].get<std::string>() + "): " + s["reason"].get<std::string>(), false));
  }
  out += fmt::format("::notice title=aiadvise check::{}\n", github_escape(summary_line(r), false));
  return out;
}

}  // namespace aiadvise::check
