// `aiadvise estimate`: the sizing of a workload, and how it runs on one instance type.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>

#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/report/json.hpp"
#include "aiadvise/report/plausibility.hpp"
#include "aiadvise/sizing/sizing.hpp"
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
  std::string format = "table";
};

std::string fmt_opt(const util::Json& j, const char* key, const char* unit = "") {
  if (!j.contains(key)) return "unknown";
  const auto& v = j[key];
  if (v.is_number()) return fmt::format("{:.4g}{}", v.get<double>(), unit);
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string render_table(const util::Json& doc) {
  std::string out;
  const auto& w = doc["workload"];
  out += fmt::format("Workload: {} {}, {}, {}\n", w.value("model", w["family"].get<std::string>()),
                     w.contains("params") ? util::format_count(w["params"].get<double>()) + " parameters" : "",
                     w["phase"].get<std::string>(), w["precision"].get<std::string>());
  const auto& e = doc["estimate"];
  util::Table memory({"memory", "GiB"});
  for (const char* key : {"weights_gib", "kv_cache_gib", "activations_gib", "gradients_gib", "optimizer_gib",
                          "overhead_gib", "memory_gib"}) {
    std::string name = key;
    name = name.substr(0, name.size() - 4);
    if (name == "memory") name = "total";
    memory.add_row({name, fmt::format("{:.2f}", e[key].get<double>())});
  }
  out += "\n" + memory.render();
  out += fmt::format("\nforward FLOPs per {}: {:.4g}\n", e["unit"].get<std::string>(), e["forward_flops_per_unit"].get<double>());
  if (e.contains("training_flops")) out += fmt::format("training FLOPs: {:.4g}\n", e["training_flops"].get<double>());
  if (e.contains("kv_cache_bytes_per_token")) {
    out += fmt::format("KV cache per token: {:.0f} bytes\n", e["kv_cache_bytes_per_token"].get<double>());
  }
  if (doc.contains("instance")) {
    const auto& i = doc["instance"];
    out += fmt::format("\nOn {} x {} ({}{}):\n", i["count"].get<int>(), i["instance"].get<std::string>(),
                       i["cloud"].get<std::string>(),
                       i.contains("accelerator") ? fmt::format(", {} x {} each", i["accelerators_per_instance"].get<int>(),
                                                               i["accelerator"].get<std::string>())
                                                 : ", CPU");
    util::Table t({"", "value"});
    t.add_row({"fits", i["fits"].get<bool>() ? "yes" : "no"});
    if (i.contains("fit_reason")) t.add_row({"why not", i["fit_reason"].get<std::string>()});
    t.add_row({"memory per device", fmt::format("{} of {}", fmt_opt(i, "memory_needed_gib", " GiB"),
                                                fmt_opt(i, "memory_available_gib", " GiB"))});
    if (i.contains("headroom")) t.add_row({"headroom", fmt::format("{:.0f}%", i["headroom"].get<double>() * 100)});
    t.add_row({"parallelism", fmt::format("tensor parallel {}, {} replica(s) per instance, batch {}",
                                          i["parallelism"]["tensor_parallel"].get<int>(),
                                          i["parallelism"]["replicas_per_instance"].get<int>(), fmt_opt(i, "batch_size"))});
    if (i.contains("throughput")) t.add_row({"throughput", fmt::format("{} {}", fmt_opt(i, "throughput"), i["throughput_unit"].get<std::string>())});
    if (i.contains("latency_ms")) t.add_row({"latency per request", fmt_opt(i, "latency_ms", " ms")});
    if (i.contains("ttft_ms")) t.add_row({"time to first token", fmt_opt(i, "ttft_ms", " ms")});
    if (i.contains("tpot_ms")) t.add_row({"time per output token", fmt_opt(i, "tpot_ms", " ms")});
    if (i.contains("time_hours")) t.add_row({"time", fmt_opt(i, "time_hours", " h")});
    if (i.contains("bottleneck")) t.add_row({"bottleneck", i["bottleneck"].get<std::string>()});
    t.add_row({"price", i.contains("price_usd_per_hour") ? fmt::format("${:.4g}/h", i["price_usd_per_hour"].get<double>()) : "unknown"});
    if (i.contains("cost_usd")) t.add_row({"cost of the run", fmt::format("${:.4g}", i["cost_usd"].get<double>())});
    if (i.contains("cost_usd_per_1m_tokens")) t.add_row({"cost per 1M output tokens", fmt::format("${:.4g}", i["cost_usd_per_1m_tokens"].get<double>())});
    if (i.contains("cost_usd_per_1k_requests")) t.add_row({"cost per 1k requests", fmt::format("${:.4g}", i["cost_usd_per_1k_requests"].get<double>())});
    out += t.render();
    for (const auto& u : i["unknowns"]) out += "unknown: " + u.get<std::string>() + "\n";
  }
  if (doc.contains("warnings")) {
    for (const auto& warning : doc["warnings"]) out += "warning: " + util::escape_for_terminal(warning.get<std::string>()) + "\n";
  }
  if (!w["assumed"].empty()) {
    out += "\nAssumed:\n";
    for (const auto& a : w["assumed"]) out += "  " + a.get<std::string>() + "\n";
  }
  return out;
}

int run_estimate(const EstimateOptions& o, const GlobalOptions& global, Io& io) {
  const catalog::Catalog c = load_catalog(global);
  const workload::Workload w = read_workload(o.workload, global, c);
  const sizing::Requirements r = sizing::requirements(w, c);
  util::Json doc = util::Json::object();
  doc["schema_version"] = report::k_schema_version;
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
    doc["instance"] = report::estimate_json(sizing::estimate(w, r, c, *i, eo), c);
    const auto warnings = report::plausibility_warnings(doc["workload"], doc["instance"], "this option",
                                                        o.count > 0 ? "--count" : "");
    if (!warnings.empty()) doc["warnings"] = warnings;
  }
  io.out = o.format == "json" ? doc.dump(2) + "\n" : render_table(doc);
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
  aiadvise estimate --family classical-trees --phase training --dataset-samples 10M --features 50 --instance c7i.8xlarge --format json)");
  add_workload_options(*cmd, o->workload);
  cmd->add_option("--instance", o->instance, "Instance to estimate on: an id (aws-g5-xlarge) or the cloud's name (g5.xlarge)")
      ->type_name("TYPE");
  cmd->add_option("--count", o->count, "Instances (default: as many as the targets need)")->check(CLI::Range(1, 100000));
  add_format_option(*cmd, o->format, {"table", "json"});
  cmd->callback([o, &global, &action] { action = [o, &global](Io& io) { return run_estimate(*o, global, io); }; });
}

}  // namespace aiadvise::cli
