// `aiadvise estimate`: the sizing of a workload, and how it runs on one instance type.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/render/json.hpp"
#include "aiadvise/report/json.hpp"
#include "aiadvise/render/recommend.hpp"
#include "aiadvise/report/plausibility.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/human.hpp"
#include "aiadvise/util/table.hpp"
#include "aiadvise/util/text.hpp"
#include "cli/context.hpp"
#include "cli/workload_options.hpp"

namespace aiadvise::cli {

namespace {

struct EstimateOptions {
  WorkloadOptions workload;
  std::string instance;
  int count = 0;
  std::string format;
};

std::optional<double> number(const util::Json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number()) return std::nullopt;
  return j[key].get<double>();
}

// Reads the estimate document; computes nothing.
std::string render_table(const util::Json& doc, std::size_t width) {
  std::string out;
  const auto& w = doc["workload"];
  out += util::wrap(fmt::format("{} {}, {}, {}", w.value("model", w["family"].get<std::string>()),
                                w.contains("params") ? util::format_count(w["params"].get<double>()) + " parameters" : "",
                                w["phase"].get<std::string>(), w["precision"].get<std::string>()),
                    width, "Workload: ", "  ");
  const auto& e = doc["estimate"];
  util::Table memory({"memory", "GiB"});
  for (const char* key : {"weights_gib", "kv_cache_gib", "activations_gib", "gradients_gib", "optimizer_gib",
                          "overhead_gib", "memory_gib"}) {
    std::string name = key;
    name = name.substr(0, name.size() - 4);
    if (name == "memory") name = "total";
    memory.add_row({name, util::group_thousands(e[key].get<double>(), 2)});
  }
  out += "\n" + memory.render(width);
  out += fmt::format("\nforward FLOPs per {}: {}\n", e["unit"].get<std::string>(), util::format_quantity(e["forward_flops_per_unit"].get<double>()));
  if (auto v = number(e, "training_flops")) out += fmt::format("training FLOPs: {}\n", util::format_quantity(*v));
  if (auto v = number(e, "kv_cache_bytes_per_token")) out += fmt::format("KV cache per token: {} bytes\n", util::group_thousands(*v));
  if (doc.contains("instance")) {
    const auto& i = doc["instance"];
    out += fmt::format("\nOn {} x {} ({}{}):\n", i["count"].get<int>(), i["instance"].get<std::string>(),
                       i["cloud"].get<std::string>(),
                       i.contains("accelerator") ? fmt::format(", {} x {} each", i["accelerators_per_instance"].get<int>(),
                                                               i["accelerator"].get<std::string>())
                                                 : ", CPU");
    // Label and value pairs; a long value wraps under itself rather than being cut.
    struct Rows {
      std::vector<std::pair<std::string, std::string>> rows;
      void add_row(std::vector<std::string> cells) { rows.emplace_back(std::move(cells.at(0)), std::move(cells.at(1))); }
      std::string render(std::size_t width) const {
        std::size_t label = 0;
        for (const auto& [l, v] : rows) label = std::max(label, l.size());
        std::string out;
        for (const auto& [l, v] : rows) {
          const std::string first = l + std::string(label + 2 - l.size(), ' ');
          out += util::wrap(v, width, first, std::string(label + 2, ' '));
        }
        return out;
      }
    } t;
    t.add_row({"fits", i["fits"].get<bool>() ? "yes" : "no"});
    auto gib = [&](const char* key) { auto v = number(i, key); return v ? util::format_gib(*v) : std::string("unknown"); };
    std::string memory_row = fmt::format("{} of {}", gib("memory_needed_gib"), gib("memory_available_gib"));
    if (auto v = number(i, "memory_limit_gib")) memory_row += fmt::format(" ({} usable)", util::format_gib(*v));
    t.add_row({"memory per device", memory_row});
    if (auto v = number(i, "headroom")) t.add_row({"headroom", fmt::format("{:.0f}%", *v * 100)});
    std::string parallelism = fmt::format("tensor parallel {}, {} replica(s) per instance, batch {}",
                                          i["parallelism"]["tensor_parallel"].get<int>(),
                                          i["parallelism"]["replicas_per_instance"].get<int>(),
                                          number(i, "batch_size") ? util::format_quantity(*number(i, "batch_size")) : "unknown");
    if (auto v = number(i, "gradient_accumulation")) parallelism += fmt::format(", {:g} micro-batches accumulated", *v);
    if (i.value("gradient_checkpointing", false)) parallelism += ", gradient checkpointing";
    t.add_row({"parallelism", parallelism});
    if (auto v = number(i, "throughput")) t.add_row({"throughput", fmt::format("{} {}", util::format_quantity(*v), i["throughput_unit"].get<std::string>())});
    if (const std::string request = render::request_text(i, w); !request.empty()) t.add_row({"a request", request});
    if (auto v = number(i, "utilisation"); v && !i.value("overloaded", false)) {
      t.add_row({"utilisation", fmt::format("{:.0f}% of capacity at the stated load", *v * 100)});
    }
    if (auto v = number(i, "time_hours")) t.add_row({"time", util::format_hours(*v)});
    if (i.contains("bottleneck")) t.add_row({"bottleneck", i["bottleneck"].get<std::string>()});
    if (const std::string trust = render::confidence_text(i); !trust.empty()) t.add_row({"speed numbers", trust});
    t.add_row({"price per hour", number(i, "price_usd_per_hour") ? util::format_usd(*number(i, "price_usd_per_hour")) : "unknown"});
    if (auto v = number(i, "cost_usd_per_month")) {
      t.add_row({"per month", fmt::format("{} ({:g} h, running continuously)", util::format_usd(*v), doc.value("hours_per_month", 730.0))});
    }
    if (auto v = number(i, "cost_usd")) t.add_row({"cost of the run", util::format_usd(*v)});
    if (auto v = number(i, "cost_usd_per_1m_tokens")) t.add_row({"per 1M output tokens", util::format_usd(*v)});
    if (auto v = number(i, "cost_usd_per_1k_requests")) t.add_row({"per 1k requests", util::format_usd(*v)});
    out += t.render(width);
    if (i.contains("fit_reason")) out += util::wrap(i["fit_reason"].get<std::string>(), width, "why it does not fit: ", "  ");
    for (const auto& u : i["unknowns"]) out += util::wrap(u.get<std::string>(), width, "unknown: ", "  ");
    if (i.contains("confidence") && !i["confidence"].value("basis", "").empty()) {
      out += util::wrap(i["confidence"]["basis"].get<std::string>(), width, "speed numbers: ", "  ");
    }
    for (const auto& n : i["notes"]) out += util::wrap(n.get<std::string>(), width, "note: ", "  ");
  }
  if (doc.contains("warnings")) {
    for (const auto& warning : doc["warnings"]) out += "warning: " + util::escape_for_terminal(warning.get<std::string>()) + "\n";
  }
  if (!w["assumed"].empty()) {
    out += "\nAssumed:\n";
    for (const auto& a : w["assumed"]) out += util::wrap(a.get<std::string>(), width, "  ", "    ");
  }
  return out;
}

int run_estimate(const EstimateOptions& o, const GlobalOptions& global, Io& io) {
  catalog::Catalog c = load_catalog(global);
  const workload::Workload w = read_workload(o.workload, global, c);
  const sizing::Requirements r = sizing::requirements(w, c);
  util::Json doc = util::Json::object();
  doc["schema_version"] = report::k_schema_version;
  doc["hours_per_month"] = report::k_hours_per_month;
  doc["workload"] = workload::to_json(w);
  doc["estimate"] = report::requirements_json(r);
  if (!o.instance.empty()) {
    const catalog::Instance* i = c.instance(o.instance);
    if (!i) {
      throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{
          "", 0, 0, "--instance",
          fmt::format("unknown instance '{}'{}", o.instance, util::did_you_mean(o.instance, c.ids("instances")))}});
    }
    sizing::EstimateOptions eo;
    eo.count = o.count;
    // NOTE: estimate measures the configuration asked for: sized to exactly the load on one replica
    // or more, unless a headroom is given (recommend and check keep one by default).
    eo.max_utilisation = w.max_utilisation.value_or(1);
    eo.min_replicas = static_cast<int>(w.min_replicas.value_or(1));
    doc["instance"] = report::estimate_json(sizing::estimate(w, r, c, *i, eo), c, &w);
    const auto warnings = report::plausibility_warnings(doc["workload"], doc["instance"], "this option",
                                                        o.count > 0 ? "--count" : "");
    if (!warnings.empty()) doc["warnings"] = warnings;
  }
  io.out = o.format == "json" ? render::json_text(doc) : render_table(doc, global.width());
  return k_exit_ok;
}

}  // namespace

void setup_estimate(CLI::App& app, const GlobalOptions& global, Action& action) {
  auto o = std::make_shared<EstimateOptions>();
  CLI::App* cmd = app.add_subcommand("estimate", "Size a workload: memory, FLOPs, and throughput, latency, time and cost on an instance");
  cmd->footer(R"(Examples:
  aiadvise estimate --model llama-2-70b --precision fp16
  aiadvise estimate --model llama-3.1-8b --instance g5.xlarge --qps 2 --output-tokens 200
  aiadvise estimate --model resnet-50 --phase training --dataset-samples 1.28M --epochs 35 --instance p5.48xlarge
  aiadvise estimate --family classical-trees --phase training --dataset-samples 10M --features 50 --instance c7i.8xlarge --format json
  aiadvise estimate --model-config ./Qwen3-8B/config.json --instance g6e.xlarge

Exit codes: 0 ok, 2 usage or invalid input (an unknown model or instance is named), 3 internal error,
4 output could not be written.)");
  add_workload_options(*cmd, o->workload);
  cmd->add_option("--instance", o->instance, "Instance to estimate on: an id (aws-g5-xlarge) or the cloud's name (g5.xlarge)")
      ->type_name("TYPE");
  cmd->add_option("--count", o->count, "Instances (default: as many as the targets need)")->check(CLI::Range(1, 100000));
  add_format_option(*cmd, o->format, {"table", "json"});
  cmd->callback([o, &global, &action] { action = [o, &global](Io& io) { return run_estimate(*o, global, io); }; });
}

}  // namespace aiadvise::cli
