#include "aiadvise/render/recommend.hpp"

#include <fmt/format.h>

#include "aiadvise/util/table.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::render {

using util::Json;

namespace {

std::string num(const Json& j, const char* key, const char* spec = "{:.3g}") {
  if (!j.contains(key) || !j[key].is_number()) return "-";
  return fmt::format(fmt::runtime(spec), j[key].get<double>());
}

std::string money(const Json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number()) return "unknown";
  const double v = j[key].get<double>();
  return v >= 100 ? fmt::format("${:.0f}", v) : fmt::format("${:.3g}", v);
}

std::string text(const Json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "-";
  return j[key].is_string() ? util::escape_for_terminal(j[key].get<std::string>()) : j[key].dump();
}

std::string workload_line(const Json& w) {
  std::string line = w.contains("model") ? w["model"].get<std::string>() : w["family"].get<std::string>();
  if (w.contains("params")) line += fmt::format(" ({} parameters)", util::format_count(w["params"].get<double>()));
  line += fmt::format(", {}", w["phase"].get<std::string>());
  if (w.contains("method")) line += " " + w["method"].get<std::string>();
  if (w.contains("mode")) line += " " + w["mode"].get<std::string>();
  line += ", " + w["precision"].get<std::string>();
  for (const auto& [key, label] : std::vector<std::pair<const char*, const char*>>{
           {"qps", "requests/s"}, {"latency_ms", "ms latency target"}, {"ttft_ms", "ms TTFT target"}, {"tpot_ms", "ms TPOT target"},
           {"deadline_hours", "h deadline"}}) {
    if (w.contains(key)) line += fmt::format(", {:g} {}", w[key].get<double>(), label);
  }
  return util::escape_for_terminal(line);
}

std::string option_line(const Json& o) {
  std::string acc = o["accelerator"].is_null() ? "CPU" : fmt::format("{} x {}", o["accelerators_per_instance"].get<int>(), o["accelerator"].get<std::string>());
  const bool spot = o.contains("price_kind") && o["price_kind"] == "spot";
  return fmt::format("{} x {} ({} {}, {}) on {} at {}/h{}", o["count"].get<int>(), text(o, "instance"), text(o, "cloud"),
                     o.contains("region") ? text(o, "region") : "-", acc, text(o, "service"), money(o, "price_usd_per_hour"),
                     spot ? " spot" : "");
}

std::string performance_line(const Json& o) {
  std::vector<std::string> parts;
  if (o.contains("throughput")) parts.push_back(fmt::format("{} {}", num(o, "throughput"), text(o, "throughput_unit")));
  if (o.contains("latency_ms")) parts.push_back("latency " + num(o, "latency_ms") + " ms");
  if (o.contains("ttft_ms")) parts.push_back("TTFT " + num(o, "ttft_ms") + " ms");
  if (o.contains("tpot_ms")) parts.push_back("TPOT " + num(o, "tpot_ms") + " ms");
  if (o.contains("time_hours")) parts.push_back("time " + num(o, "time_hours") + " h");
  if (o.contains("cost_usd")) parts.push_back("cost " + money(o, "cost_usd"));
  if (o.contains("cost_usd_per_1m_tokens")) parts.push_back(money(o, "cost_usd_per_1m_tokens") + " per 1M output tokens");
  else if (o.contains("cost_usd_per_1k_requests")) parts.push_back(money(o, "cost_usd_per_1k_requests") + " per 1k requests");
  return util::join(parts, "; ");
}

util::Table options_table(const Json& report) {
  util::Table t({"#", "instance", "cloud", "region", "service", "count", "compute", "usd_per_hour", "cost", "latency_ms", "throughput",
                 "score"});
  int rank = 1;
  auto add = [&](const Json& o, const std::string& label) {
    const bool spot = o.contains("price_kind") && o["price_kind"] == "spot";
    t.add_row({label, text(o, "instance"), text(o, "cloud"), o.contains("region") ? text(o, "region") : "-", text(o, "service"),
               std::to_string(o["count"].get<int>()), text(o, "compute"),
               num(o, "price_usd_per_hour", "{:.4g}") + (spot ? " spot" : ""), o.contains("cost_usd") ? num(o, "cost_usd", "{:.4g}") : "-",
               num(o, "latency_ms", "{:.4g}"), num(o, "throughput", "{:.4g}"), num(o, "score", "{:.3f}")});
  };
  if (!report["recommendation"].is_null()) add(report["recommendation"], std::to_string(rank++));
  for (const auto& a : report["alternatives"]) add(a, std::to_string(rank++));
  return t;
}

}  // namespace

std::string recommendation_table(const Json& r, const Style& style) {
  auto bold = [&](const std::string& s) { return style.color ? "\x1b[1m" + s + "\x1b[0m" : s; };
  std::string out;
  out += bold("Workload") + ": " + workload_line(r["workload"]) + "\n";
  const auto& e = r["estimate"];
  out += fmt::format("Memory: {:.3g} GiB per replica (weights {:.3g}, KV cache {:.3g}, activations {:.3g}, gradients and optimizer {:.3g})\n",
                     e["memory_gib"].get<double>(), e["weights_gib"].get<double>(), e["kv_cache_gib"].get<double>(),
                     e["activations_gib"].get<double>(), e["gradients_gib"].get<double>() + e["optimizer_gib"].get<double>());
  out += "\n";
  if (r["verdict"] == "no-feasible-option") {
    out += bold("No feasible option") + fmt::format(" among {} candidates.\n", r["candidates_considered"].get<int>());
    if (!r["nearest"].empty()) {
      out += "Nearest options:\n";
      for (const auto& n : r["nearest"]) {
        out += "  - " + option_line(n) + "\n";
        for (const auto& why : n["excluded_by"]) out += "      excluded: " + util::escape_for_terminal(why.get<std::string>()) + "\n";
      }
    }
  } else {
    const auto& rec = r["recommendation"];
    std::string compute = r["compute"]["choice"].get<std::string>();
    for (auto& ch : compute) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    out += bold("Compute") + ": " + compute + "\n";
    for (const auto& why : r["compute"]["reasons"]) out += "  - " + util::escape_for_terminal(why.get<std::string>()) + "\n";
    out += bold("Instance") + ": " + option_line(rec) + "\n";
    out += "  " + performance_line(rec) + "\n";
    out += bold("Deployment") + ": " + r["deployment"]["choice"].get<std::string>() + " (" + r["deployment"]["service"].get<std::string>() + ")\n";
    for (const auto& why : r["deployment"]["reasons"]) out += "  - " + util::escape_for_terminal(why.get<std::string>()) + "\n";
    for (const auto& a : r["api_vs_self_host"]) {
      out += fmt::format("API or self-host: {} serves {} at {} in / {} out per 1M tokens: {}/h at the stated load against {}/h self-hosted; "
                         "break-even {} tokens/day ({} is cheaper now)\n",
                         text(a, "service"), text(a, "model"), money(a, "input_usd_per_1m_tokens"), money(a, "output_usd_per_1m_tokens"),
                         money(a, "api_usd_per_hour"), money(a, "self_host_usd_per_hour"),
                         a.contains("break_even_tokens_per_day") ? util::format_count(a["break_even_tokens_per_day"].get<double>()) : "-",
                         text(a, "cheaper_at_stated_load"));
    }
    out += "\n" + bold("Options") + ":\n" + options_table(r).render();
  }
  std::vector<std::string> excluded;
  for (const auto& [rule, count] : r["excluded"].items()) excluded.push_back(fmt::format("{} {}", rule, count.get<int>()));
  if (!excluded.empty()) out += "\nExcluded candidates by rule: " + util::join(excluded, ", ") + "\n";
  if (!r["workload"]["assumed"].empty()) {
    out += "Assumed: ";
    std::vector<std::string> assumed;
    for (const auto& a : r["workload"]["assumed"]) assumed.push_back(util::escape_for_terminal(a.get<std::string>()));
    out += util::join(assumed, "; ") + "\n";
  }
  for (const auto& w : r["warnings"]) out += "warning: " + util::escape_for_terminal(w.get<std::string>()) + "\n";
  if (r.contains("trace")) {
    out += "\n" + bold("Trace") + "\nRules that fired:\n";
    for (const auto& f : r["rules_fired"]) {
      out += fmt::format("  {} [{}] on {} candidate(s){}: {}\n", text(f, "id"), text(f, "effect"), f["candidates"].get<int>(),
                         f["for_pick"].get<bool>() ? ", including the pick" : "", text(f, "description"));
      std::vector<std::string> inputs;
      for (const auto& i : f["inputs"]) inputs.push_back(i.get<std::string>());
      out += "      inputs: " + util::escape_for_terminal(util::join(inputs, ", ")) + "\n";
    }
    out += "Excluded groups:\n";
    for (const auto& g : r["trace"]["excluded_groups"]) {
      out += fmt::format("  {}: {} candidate(s)\n", text(g, "rule"), g["candidates"].get<int>());
      for (const auto& x : g["examples"]) out += "      e.g. " + util::escape_for_terminal(x.get<std::string>()) + "\n";
    }
    out += "Score components of the top picks:\n";
    for (const auto& t : r["trace"]["top_scores"]) {
      std::vector<std::string> parts;
      for (const auto& [name, value] : t["components"].items()) parts.push_back(fmt::format("{} {:+.3f}", name, value.get<double>()));
      out += fmt::format("  {} = {:.3f}: {}\n", text(t, "id"), t["score"].get<double>(), util::join(parts, ", "));
    }
  }
  return out;
}

std::string recommendation_markdown(const Json& r) {
  std::string out = "## aiadvise recommendation\n\n";
  out += "**Workload:** " + workload_line(r["workload"]) + "\n\n";
  if (r["verdict"] == "no-feasible-option") {
    out += fmt::format("**No feasible option** among {} candidates.\n\n", r["candidates_considered"].get<int>());
    for (const auto& n : r["nearest"]) {
      out += "- Nearest: " + option_line(n) + "\n";
      for (const auto& why : n["excluded_by"]) out += "  - excluded: " + why.get<std::string>() + "\n";
    }
    return out;
  }
  out += "| question | answer |\n|---|---|\n";
  out += "| Compute | " + r["compute"]["choice"].get<std::string>() + " |\n";
  out += "| Instance | " + option_line(r["recommendation"]) + " |\n";
  out += "| Performance | " + performance_line(r["recommendation"]) + " |\n";
  out += "| Deployment | " + r["deployment"]["choice"].get<std::string>() + " (" + r["deployment"]["service"].get<std::string>() + ") |\n\n";
  out += "### Why\n\n";
  for (const auto& why : r["compute"]["reasons"]) out += "- " + why.get<std::string>() + "\n";
  for (const auto& why : r["deployment"]["reasons"]) out += "- " + why.get<std::string>() + "\n";
  out += "\n### Options\n\n| # | instance | cloud | service | count | compute | USD/h | latency ms | throughput | score |\n|---|---|---|---|---|---|---|---|---|---|\n";
  int rank = 1;
  auto row = [&](const Json& o) {
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", rank++, text(o, "instance"), text(o, "cloud"), text(o, "service"),
                       o["count"].get<int>(), text(o, "compute"), num(o, "price_usd_per_hour", "{:.4g}"), num(o, "latency_ms", "{:.4g}"),
                       num(o, "throughput", "{:.4g}"), num(o, "score", "{:.3f}"));
  };
  row(r["recommendation"]);
  for (const auto& a : r["alternatives"]) row(a);
  if (!r["workload"]["assumed"].empty()) {
    out += "\n<details><summary>Assumed</summary>\n\n";
    for (const auto& a : r["workload"]["assumed"]) out += "- " + a.get<std::string>() + "\n";
    out += "\n</details>\n";
  }
  return out;
}

}  // namespace aiadvise::render
