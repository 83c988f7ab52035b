#include "aiadvise/render/recommend.hpp"

#include <fmt/format.h>

#include <functional>
#include <optional>

#include "aiadvise/util/human.hpp"
#include "aiadvise/util/table.hpp"
#include "aiadvise/util/text.hpp"
#include "render/fields.hpp"

namespace aiadvise::render {

using util::Json;

namespace {

using detail::is_job;
using detail::number;

std::string text(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return "-";
  return j[key].is_string() ? util::escape_for_terminal(j[key].get<std::string>()) : j[key].dump();
}

std::string usd(std::optional<double> v, const char* missing = "unknown") { return v ? util::format_usd(*v) : missing; }

/// The number a column shows: no "$" (the header has it), "-" when absent.
std::string usd_cell(std::optional<double> v) {
  if (!v) return "-";
  std::string s = util::format_usd(*v);
  const auto dollar = s.find('$');
  if (dollar != std::string::npos) s.erase(dollar, 1);
  return s;
}

std::string quantity(std::optional<double> v) { return v ? util::format_quantity(*v) : "-"; }

/// Throughput units as a column header has room for.
std::string short_unit(const std::string& unit) {
  if (unit == "output tokens/s") return "out tok/s";
  if (unit == "tokens/s") return "tok/s";
  if (unit == "requests/s") return "req/s";
  return unit.empty() ? "per s" : unit;
}

struct Lines {
  std::size_t width = 0;
  std::string out;
  /// A paragraph wrapped at word boundaries; continuation lines indented by `rest`.
  void para(const std::string& first, const std::string& body, const std::string& rest = "  ") {
    out += util::wrap(body, width, first, rest);
  }
};

std::string workload_line(const Json& w) {
  std::string line = w.contains("model") ? w["model"].get<std::string>() : w["family"].get<std::string>();
  if (auto p = number(w, "params")) line += fmt::format(" ({} parameters)", util::format_count(*p));
  line += fmt::format(", {}", w["phase"].get<std::string>());
  if (w.contains("method")) line += " " + w["method"].get<std::string>();
  if (w.contains("mode")) line += " " + w["mode"].get<std::string>();
  line += ", " + w["precision"].get<std::string>();
  if (auto v = number(w, "qps")) line += fmt::format(", {} requests/s", util::format_quantity(*v));
  if (auto v = number(w, "latency_ms")) line += fmt::format(", {} latency target", util::format_duration_ms(*v));
  if (auto v = number(w, "ttft_ms")) line += fmt::format(", {} TTFT target", util::format_duration_ms(*v));
  if (auto v = number(w, "tpot_ms")) line += fmt::format(", {} TPOT target", util::format_duration_ms(*v));
  if (auto v = number(w, "deadline_hours")) line += fmt::format(", {} deadline", util::format_hours(*v));
  if (auto v = number(w, "budget_usd_per_hour")) line += fmt::format(", budget {}/hour", util::format_usd(*v));
  if (auto v = number(w, "budget_usd")) line += fmt::format(", budget {} for the run", util::format_usd(*v));
  return util::escape_for_terminal(line);
}

std::string memory_line(const Json& e) {
  std::vector<std::string> parts;
  for (const auto& [key, label] : std::vector<std::pair<const char*, const char*>>{
           {"weights_gib", "weights"}, {"kv_cache_gib", "KV cache"}, {"activations_gib", "activations"},
           {"gradients_gib", "gradients"}, {"optimizer_gib", "optimizer"}, {"overhead_gib", "runtime overhead"}}) {
    if (auto v = number(e, key); v && *v > 0) parts.push_back(fmt::format("{} {}", label, util::format_gib(*v)));
  }
  return fmt::format("{} per replica ({})", util::format_gib(number(e, "memory_gib").value_or(0)), util::join(parts, ", "));
}

std::string option_line(const Json& o) {
  const std::string acc = o["accelerator"].is_null()
                              ? "CPU"
                              : fmt::format("{} x {} each", o["accelerators_per_instance"].get<int>(), text(o, "accelerator"));
  const bool spot = o.value("price_kind", "") == "spot";
  return fmt::format("{} x {} ({} {}, {}) on {}{}", o["count"].get<int>(), text(o, "instance"), text(o, "cloud"),
                     o.contains("region") ? text(o, "region") : "-", acc, text(o, "service"), spot ? " (spot)" : "");
}

/// Costs in the units people budget in: per run for jobs; per hour and per month for serving,
/// with the per-token or per-request cost.
std::string cost_line(const Json& o, double hours_per_month) {
  const auto hour = number(o, "price_usd_per_hour");
  if (!hour) return "price unknown";
  if (is_job(o)) {
    return fmt::format("{} for the run ({} at {}/hour)", usd(number(o, "cost_usd")), util::format_hours(*number(o, "time_hours")),
                       util::format_usd(*hour));
  }
  std::string line = fmt::format("{}/hour", util::format_usd(*hour));
  if (auto month = number(o, "cost_usd_per_month")) line += fmt::format(", {}/month ({:g} h)", util::format_usd(*month), hours_per_month);
  if (auto v = number(o, "cost_usd_per_1m_tokens")) line += fmt::format("; {} per 1M output tokens", util::format_usd(*v));
  else if (auto v2 = number(o, "cost_usd_per_1k_requests")) line += fmt::format("; {} per 1k requests", util::format_usd(*v2));
  return line;
}

std::string speed_line(const Json& o, const Json& w) {
  std::vector<std::string> parts;
  if (auto t = number(o, "throughput")) parts.push_back(fmt::format("{} {}", util::format_quantity(*t), text(o, "throughput_unit")));
  if (!is_job(o)) {
    const std::string request = request_text(o, w);
    if (o.value("overloaded", false)) parts.push_back(request);
    else if (!request.empty()) parts.push_back("a request takes " + request);
  }
  if (auto u = number(o, "utilisation"); u && !o.value("overloaded", false)) parts.push_back(fmt::format("{:.0f}% busy at the stated load", *u * 100));
  const std::string trust = confidence_text(o);
  if (!trust.empty()) parts.push_back("speed " + trust);
  return util::join(parts, "; ");
}

/// The engine's settings and the headroom the fleet keeps, in a line; empty for what has none.
std::string engine_line(const Json& o) {
  if (!o.contains("engine") || !o.contains("headroom")) return "";
  const Json& e = o["engine"];
  const Json& h = o["headroom"];
  std::vector<std::string> parts;
  parts.push_back(fmt::format("tensor parallel {}, {} replica(s) per instance x {}", e.value("tensor_parallel", 1),
                              e.value("replicas_per_instance", 1), e.value("instances", 1)));
  if (auto v = number(e, "max_concurrent_sequences")) parts.push_back(fmt::format("at most {} sequences in flight", quantity(v)));
  if (auto v = number(e, "max_batch_size")) parts.push_back(fmt::format("batches of up to {}", quantity(v)));
  if (auto v = number(e, "memory_fraction")) parts.push_back(fmt::format("{:.0f}% of device memory", *v * 100));
  std::string line = util::join(parts, ", ");
  std::vector<std::string> room;
  if (auto u = number(h, "utilisation"); u && *u > 0) {
    room.push_back(fmt::format("{:.0f}% busy (at most {:.0f}%)", *u * 100, number(h, "max_utilisation").value_or(1) * 100));
  }
  room.push_back(fmt::format("{} replica(s) (at least {})", h.value("replicas", 1), h.value("min_replicas", 1)));
  if (auto m = number(h, "memory_used_fraction")) room.push_back(fmt::format("{:.0f}% of memory used", *m * 100));
  return line + "; headroom: " + util::join(room, ", ");
}

std::string api_line(const Json& a) {
  if (a.contains("api_usd_for_run")) {
    return fmt::format("{} serves {} at {} in / {} out per 1M tokens: {} for the job's {} tokens against {} self-hosted ({} is "
                       "cheaper)",
                       text(a, "service"), text(a, "model"), usd(number(a, "input_usd_per_1m_tokens")),
                       usd(number(a, "output_usd_per_1m_tokens")), usd(number(a, "api_usd_for_run")), quantity(number(a, "tokens_for_run")),
                       usd(number(a, "self_host_usd_for_run")), text(a, "cheaper_at_stated_load"));
  }
  return fmt::format("{} serves {} at {} in / {} out per 1M tokens: {}/hour at the stated load against {}/hour self-hosted; "
                     "break-even {} tokens/day ({} is cheaper now)",
                     text(a, "service"), text(a, "model"), usd(number(a, "input_usd_per_1m_tokens")),
                     usd(number(a, "output_usd_per_1m_tokens")), usd(number(a, "api_usd_per_hour")),
                     usd(number(a, "self_host_usd_per_hour")), quantity(number(a, "break_even_tokens_per_day")),
                     text(a, "cheaper_at_stated_load"));
}

/// "deadline_hours: 24 -> 32 (1.3x): 4 x p5.48xlarge (...) on ec2, $1,234 for the run".
std::string relaxation_line(const Json& x) {
  auto value = [](const Json& v) { return v.is_number() ? util::format_quantity(v.get<double>()) : util::escape_for_terminal(v.get<std::string>()); };
  std::string line = fmt::format("{}: {} -> {}", text(x, "field"), value(x["from"]), value(x["to"]));
  if (auto f = number(x, "factor")) line += fmt::format(" ({}x)", util::format_quantity(*f));
  const Json& o = x["option"];
  line += ": " + option_line(o);
  if (is_job(o)) line += fmt::format(", {} for the run in {}", usd(number(o, "cost_usd")), util::format_hours(*number(o, "time_hours")));
  else line += ", " + usd(number(o, "price_usd_per_hour")) + "/hour";
  return line;
}

std::vector<const Json*> options_of(const Json& report) {
  std::vector<const Json*> out;
  if (!report["recommendation"].is_null()) out.push_back(&report["recommendation"]);
  for (const auto& a : report["alternatives"]) out.push_back(&a);
  return out;
}

/// The options table. Narrow: the columns that decide, fitted to the width by leaving out the
/// least needed (score, cloud, $/hour, compute, service, in that order: the service names the
/// cloud too, and tells apart the rows of one instance on several services). Wide: every column.
std::string options_table(const Json& report, const Style& style) {
  const auto options = options_of(report);
  const bool job = !options.empty() && is_job(*options.front());
  const std::string unit = options.empty() ? "" : short_unit(options.front()->value("throughput_unit", ""));
  const bool llm = !options.empty() && options.front()->contains("ttft_ms");
  const bool per_token = !options.empty() && options.front()->contains("cost_usd_per_1m_tokens");

  struct Column {
    std::string header;
    int drop = 0;  // narrow: drop rank; -1: wide only
    std::function<std::string(const Json&, int)> cell;
  };
  std::vector<Column> columns{
      {"#", 0, [](const Json&, int rank) { return std::to_string(rank); }},
      {"instance", 0, [](const Json& o, int) { return text(o, "instance"); }},
      {"cloud", 5, [](const Json& o, int) { return text(o, "cloud"); }},
      {"region", -1, [](const Json& o, int) { return text(o, "region"); }},
      {"service", 2, [](const Json& o, int) { return text(o, "service"); }},
      {"managed", -1, [](const Json& o, int) { return o.value("management", "") == "managed" ? std::string("yes") : std::string("no"); }},
      {"count", 0, [](const Json& o, int) { return std::to_string(o.value("count", 1)); }},
      {"compute", 3, [](const Json& o, int) { return text(o, "compute"); }},
      {"accelerators", -1,
       [](const Json& o, int) {
         return o["accelerator"].is_null() ? std::string("-")
                                           : fmt::format("{} x {}", o.value("accelerators_per_instance", 0), text(o, "accelerator"));
       }},
      {"$/hour", 4,
       [](const Json& o, int) {
         return usd_cell(number(o, "price_usd_per_hour")) + (o.value("price_kind", "") == "spot" ? " spot" : "");
       }},
  };
  if (job) {
    columns.push_back({"$/run", 0, [](const Json& o, int) { return usd_cell(number(o, "cost_usd")); }});
    columns.push_back({"time", 0, [](const Json& o, int) {
                         auto h = number(o, "time_hours");
                         return h ? util::format_hours(*h) : std::string("-");
                       }});
  } else {
    columns.push_back({"$/month", 0, [](const Json& o, int) { return usd_cell(number(o, "cost_usd_per_month")); }});
    if (per_token) columns.push_back({"$/1M tok", -1, [](const Json& o, int) { return usd_cell(number(o, "cost_usd_per_1m_tokens")); }});
    else columns.push_back({"$/1k req", -1, [](const Json& o, int) { return usd_cell(number(o, "cost_usd_per_1k_requests")); }});
    columns.push_back({"latency", 0, [](const Json& o, int) {
                         auto v = number(o, "latency_ms");
                         return v ? util::format_duration_ms(*v) : std::string("-");
                       }});
    if (llm) {
      columns.push_back({"TTFT", -1, [](const Json& o, int) {
                           auto v = number(o, "ttft_ms");
                           return v ? util::format_duration_ms(*v) : std::string("-");
                         }});
      columns.push_back({"TPOT", -1, [](const Json& o, int) {
                           auto v = number(o, "tpot_ms");
                           return v ? util::format_duration_ms(*v) : std::string("-");
                         }});
    }
  }
  columns.push_back({unit, 0, [](const Json& o, int) { return quantity(number(o, "throughput")); }});
  columns.push_back({"GiB/device", -1, [](const Json& o, int) {
                       auto need = number(o, "memory_needed_gib"), have = number(o, "memory_available_gib");
                       return need && have ? fmt::format("{} / {}", util::format_quantity(*need), util::format_quantity(*have)) : std::string("-");
                     }});
  columns.push_back({"score", 6, [](const Json& o, int) {
                       auto v = number(o, "score");
                       return v ? fmt::format("{:.2f}", *v) : std::string("-");
                     }});

  std::vector<const Column*> shown;
  for (const auto& c : columns) {
    if (c.drop >= 0 || style.wide) shown.push_back(&c);
  }
  std::vector<std::string> headers;
  for (const Column* c : shown) headers.push_back(c->header);
  util::Table t(headers);
  for (std::size_t k = 0; k < shown.size(); ++k) {
    if (!style.wide && shown[k]->drop > 0) t.drop_rank(k, shown[k]->drop);
    const std::string& h = shown[k]->header;
    if (h == "#" || h == "count" || h[0] == '$' || h == "time" || h == "latency" || h == "TTFT" || h == "TPOT" || h == unit ||
        h == "GiB/device" || h == "score") {
      t.align_right(k);
    }
  }
  int rank = 1;
  for (const Json* o : options) {
    std::vector<std::string> row;
    for (const Column* c : shown) row.push_back(c->cell(*o, rank));
    t.add_row(std::move(row));
    ++rank;
  }
  return t.render(style.wide ? 0 : style.width);
}

}  // namespace

std::string recommendation_table(const Json& r, const Style& style) {
  auto bold = [&](const std::string& s) { return style.color ? "\x1b[1m" + s + "\x1b[0m" : s; };
  Lines l;
  l.width = style.width;
  const double hours_per_month = r.value("hours_per_month", 730.0);
  l.para(bold("Workload") + ": ", workload_line(r["workload"]));
  l.para("Memory: ", memory_line(r["estimate"]));
  l.out += "\n";
  if (r["verdict"] == "no-feasible-option") {
    l.out += bold("No feasible option") + fmt::format(" among {} candidates.\n", util::group_thousands(r["candidates_considered"].get<double>()));
    if (!r["nearest"].empty()) {
      l.out += "Nearest options:\n";
      for (const auto& n : r["nearest"]) {
        l.para("  - ", option_line(n) + " at " + usd(number(n, "price_usd_per_hour")) + "/hour", "    ");
        for (const auto& why : n["excluded_by"]) l.para("      excluded: ", util::escape_for_terminal(why.get<std::string>()), "        ");
      }
    }
    if (r.contains("relaxations") && !r["relaxations"].empty()) {
      l.out += "What to change (each alone gives an option):\n";
      for (const auto& x : r["relaxations"]) l.para("  - ", relaxation_line(x), "    ");
    }
  } else {
    const auto& rec = r["recommendation"];
    std::string compute = r["compute"]["choice"].get<std::string>();
    for (auto& ch : compute) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    l.out += bold("Compute") + ": " + compute + "\n";
    for (const auto& why : r["compute"]["reasons"]) l.para("  - ", util::escape_for_terminal(why.get<std::string>()), "    ");
    l.para(bold("Instance") + ": ", option_line(rec));
    l.para("  Cost: ", cost_line(rec, hours_per_month), "    ");
    const std::string speed = speed_line(rec, r["workload"]);
    if (!speed.empty()) l.para("  Speed: ", speed, "    ");
    if (const std::string engine = engine_line(rec); !engine.empty()) l.para("  Engine: ", engine, "    ");
    l.out += bold("Deployment") + ": " + text(r["deployment"], "choice") + " (" + text(r["deployment"], "service") + ")\n";
    for (const auto& why : r["deployment"]["reasons"]) l.para("  - ", util::escape_for_terminal(why.get<std::string>()), "    ");
    for (const auto& a : r["api_vs_self_host"]) l.para("API or self-host: ", api_line(a));
    l.out += "\n" + bold("Options") + (style.wide ? ":\n" : " (-o wide for every column):\n") + options_table(r, style);
  }
  std::vector<std::string> excluded;
  for (const auto& [rule, count] : r["excluded"].items()) excluded.push_back(fmt::format("{} {}", rule, count.get<int>()));
  if (!excluded.empty()) {
    // NOTE: a candidate may be excluded by several rules, so the counts do not add up to a total.
    l.out += "\n";
    l.para(fmt::format("Excluded, by rule, among {} candidates: ", util::group_thousands(r["candidates_considered"].get<double>())),
           util::join(excluded, ", "));
  }
  if (!r["workload"]["assumed"].empty()) {
    std::vector<std::string> assumed;
    for (const auto& a : r["workload"]["assumed"]) assumed.push_back(util::escape_for_terminal(a.get<std::string>()));
    l.para("Assumed: ", util::join(assumed, "; "));
  }
  for (const auto& w : r["warnings"]) l.para("warning: ", util::escape_for_terminal(w.get<std::string>()));
  if (r.contains("trace")) {
    l.out += "\n" + bold("Trace") + "\nRules that fired:\n";
    for (const auto& f : r["rules_fired"]) {
      l.para("  ",
             fmt::format("{} [{}] on {} candidate(s){}: {}", text(f, "id"), text(f, "effect"), f["candidates"].get<int>(),
                         f["for_pick"].get<bool>() ? ", including the pick" : "", text(f, "description")),
             "    ");
      std::vector<std::string> inputs;
      for (const auto& i : f["inputs"]) inputs.push_back(i.get<std::string>());
      l.para("      inputs: ", util::escape_for_terminal(util::join(inputs, ", ")), "        ");
    }
    l.out += "Excluded groups:\n";
    for (const auto& g : r["trace"]["excluded_groups"]) {
      l.out += fmt::format("  {}: {} candidate(s)\n", text(g, "rule"), g["candidates"].get<int>());
      for (const auto& x : g["examples"]) l.para("      e.g. ", util::escape_for_terminal(x.get<std::string>()), "        ");
    }
    l.out += "Score components of the top picks:\n";
    for (const auto& t : r["trace"]["top_scores"]) {
      std::vector<std::string> parts;
      for (const auto& [name, value] : t["components"].items()) parts.push_back(fmt::format("{} {:+.3f}", name, value.get<double>()));
      l.para("  ", fmt::format("{} = {:.3f}: {}", text(t, "id"), t["score"].get<double>(), util::join(parts, ", ")), "    ");
    }
    if (r["trace"].contains("search") && !r["trace"]["search"].empty()) {
      l.out += "Configurations tried for the pick:\n";
      for (const auto& c : r["trace"]["search"]) {
        l.para(c.value("kept", false) ? "  * " : "  - ",
               fmt::format("tp {} x {} per instance: {}", c.value("tensor_parallel", 1), c.value("replicas_per_instance", 1),
                           util::escape_for_terminal(text(c, "why"))),
               "    ");
      }
    }
  }
  return l.out;
}

std::string recommendation_markdown(const Json& r) {
  const double hours_per_month = r.value("hours_per_month", 730.0);
  std::string out = "## aiadvise recommendation\n\n";
  out += "**Workload:** " + workload_line(r["workload"]) + "\n\n";
  std::string excluded_section;
  if (!r["excluded"].empty()) {
    std::string rows;
    for (const auto& [rule, count] : r["excluded"].items()) {
      rows += fmt::format("| `{}` | {} |\n", rule, util::group_thousands(count.get<double>()));
    }
    excluded_section = fmt::format(
        "\n### Excluded candidates\n\nOf {} candidates, excluded by each rule (a candidate may be excluded by more than one):\n\n"
        "| rule | candidates |\n|---|---:|\n{}",
        util::group_thousands(r["candidates_considered"].get<double>()), rows);
  }
  std::string assumed_section;
  if (!r["workload"]["assumed"].empty()) {
    assumed_section = "\n<details><summary>Assumed</summary>\n\n";
    for (const auto& a : r["workload"]["assumed"]) assumed_section += "- " + a.get<std::string>() + "\n";
    assumed_section += "\n</details>\n";
  }
  std::string warnings_section;
  for (const auto& w : r["warnings"]) warnings_section += "\n> **Warning:** " + w.get<std::string>() + "\n";

  if (r["verdict"] == "no-feasible-option") {
    out += fmt::format("**No feasible option** among {} candidates.\n\n", util::group_thousands(r["candidates_considered"].get<double>()));
    for (const auto& n : r["nearest"]) {
      out += "- Nearest: " + option_line(n) + " at " + usd(number(n, "price_usd_per_hour")) + "/hour\n";
      for (const auto& why : n["excluded_by"]) out += "  - excluded: " + why.get<std::string>() + "\n";
    }
    if (r.contains("relaxations") && !r["relaxations"].empty()) {
      out += "\n**What to change** (each alone gives an option):\n\n";
      for (const auto& x : r["relaxations"]) out += "- " + relaxation_line(x) + "\n";
    }
    return out + excluded_section + assumed_section + warnings_section;
  }
  const Json& rec = r["recommendation"];
  out += "| question | answer |\n|---|---|\n";
  out += "| Compute | " + r["compute"]["choice"].get<std::string>() + " |\n";
  out += "| Instance | " + option_line(rec) + " |\n";
  out += "| Cost | " + cost_line(rec, hours_per_month) + " |\n";
  out += "| Speed | " + speed_line(rec, r["workload"]) + " |\n";
  if (const std::string engine = engine_line(rec); !engine.empty()) out += "| Engine | " + engine + " |\n";
  out += "| Deployment | " + text(r["deployment"], "choice") + " (" + text(r["deployment"], "service") + ") |\n\n";
  out += "### Why\n\n";
  for (const auto& why : r["compute"]["reasons"]) out += "- " + why.get<std::string>() + "\n";
  for (const auto& why : r["deployment"]["reasons"]) out += "- " + why.get<std::string>() + "\n";
  if (!r["api_vs_self_host"].empty()) {
    out += "\n### API or self-host\n\n| service | model | input / output per 1M tokens | API at the stated load | self-hosted | "
           "break-even | cheaper now |\n|---|---|---:|---:|---:|---:|---|\n";
    for (const auto& a : r["api_vs_self_host"]) {
      const bool run = a.contains("api_usd_for_run");
      out += fmt::format("| {} | {} | {} / {} | {} | {} | {} | {} |\n", text(a, "service"), text(a, "model"),
                         usd(number(a, "input_usd_per_1m_tokens")), usd(number(a, "output_usd_per_1m_tokens")),
                         run ? usd(number(a, "api_usd_for_run")) + " for the job" : usd(number(a, "api_usd_per_hour")) + "/hour",
                         run ? usd(number(a, "self_host_usd_for_run")) + " for the job" : usd(number(a, "self_host_usd_per_hour")) + "/hour",
                         run ? "-" : quantity(number(a, "break_even_tokens_per_day")) + " tokens/day", text(a, "cheaper_at_stated_load"));
    }
  }
  const bool job = is_job(rec);
  const std::string unit = short_unit(rec.value("throughput_unit", ""));
  out += fmt::format("\n### Options\n\n| # | instance | cloud | service | count | compute | $/hour | {} | {} | {} | score |\n"
                     "|---:|---|---|---|---:|---|---:|---:|---:|---:|---:|\n",
                     job ? "$/run" : "$/month", job ? "time" : "latency", unit);
  int rank = 1;
  for (const Json* o : options_of(r)) {
    const auto t = number(*o, job ? "time_hours" : "latency_ms");
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", rank++, text(*o, "instance"), text(*o, "cloud"),
                       text(*o, "service"), o->value("count", 1), text(*o, "compute"), usd_cell(number(*o, "price_usd_per_hour")),
                       usd_cell(number(*o, job ? "cost_usd" : "cost_usd_per_month")),
                       t ? (job ? util::format_hours(*t) : util::format_duration_ms(*t)) : "-", quantity(number(*o, "throughput")),
                       number(*o, "score") ? fmt::format("{:.2f}", *number(*o, "score")) : "-");
  }
  return out + excluded_section + assumed_section + warnings_section;
}

std::string request_text(const Json& o, const Json& w) {
  if (is_job(o)) return "";
  if (o.value("overloaded", false)) {
    const auto u = number(o, "utilisation");
    return u ? fmt::format("overloaded at this load ({:.0f}% of capacity): the queue grows without bound", *u * 100)
             : std::string("overloaded at this load: the queue grows without bound");
  }
  const auto ttft = number(o, "ttft_ms"), tpot = number(o, "tpot_ms"), total = number(o, "latency_ms");
  const auto tokens = number(w, "output_tokens");
  std::string s;
  if (ttft && tpot && tokens) {
    s = fmt::format("TTFT {} + {} tokens x {} TPOT", util::format_duration_ms(*ttft), util::format_quantity(*tokens),
                    util::format_duration_ms(*tpot));
    if (total) s += " = " + util::format_duration_ms(*total);
  } else if (total) {
    s = util::format_duration_ms(*total);
  }
  if (!s.empty() && o.contains("latency_parts")) {
    // NOTE: the queueing share is named so that a long latency reads as waiting, not as slow work.
    if (auto q = number(o["latency_parts"], "queueing_ms"); q && *q >= 0.5) s += fmt::format(" (of which {} queueing)", util::format_duration_ms(*q));
  }
  return s;
}

std::string confidence_text(const Json& o) {
  if (!o.contains("confidence") || !o["confidence"].is_object()) return "";
  const Json& c = o["confidence"];
  const auto band = number(c, "band");
  if (!band) return "";
  if (c.value("extrapolated", false)) return fmt::format("extrapolated, within x{:.2g}", *band);
  const std::size_t points = c.contains("points") && c["points"].is_array() ? c["points"].size() : 0;
  return fmt::format("within x{:.2g} ({} calibration point{})", *band, points, points == 1 ? "" : "s");
}

}  // namespace aiadvise::render
