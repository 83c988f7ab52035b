#include "aiadvise/workload/workload.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "aiadvise/catalog/offers.hpp"
#include "aiadvise/models/local.hpp"
#include "aiadvise/models/names.hpp"
#include "aiadvise/util/json_reader.hpp"
#include "aiadvise/util/numeric.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::workload {

using catalog::SizingMethod;
using util::Json;
using util::Location;

namespace {

const std::vector<std::string> k_phases{"training", "fine-tuning", "inference"};
const std::vector<std::string> k_methods{"full", "lora", "qlora"};
const std::vector<std::string> k_modes{"realtime", "batch"};
const std::vector<std::string> k_priorities{"flexibility", "security", "integration", "ease", "scalability", "cost",
                                            "maintenance"};
const std::vector<std::string> k_ops{"low", "medium", "high"};
const std::vector<std::string> k_traffic{"steady", "spiky", "intermittent"};
const std::vector<std::string> k_optimizations{"quantized", "pruned", "distilled"};
// The window a batch inference job without a deadline is sized to finish in.
constexpr double k_default_batch_deadline_hours = 24;

enum class Kind { count, number, integer, text, list, flag };

struct Field {
  const char* key;  // JSON key; the flag is "--" + key with '_' as '-'
  Kind kind;
  const char* type_name;
  const char* help;
  util::Bounds bounds{};  // numeric kinds: the stated range (docs/reliability.md, "Stated ranges")
};

// NOTE: the ranges hold every real workload with a wide margin (the largest published training
// sets are about 1.5e13 tokens, the largest models about 2e12 parameters) and keep every product
// the sizing model forms finite in a double: 6 x 1e15 parameters x 1e15 tokens x 1e6 epochs is 6e36.
constexpr util::Bounds k_count_range{1, 1e15};
constexpr util::Bounds k_ms_range{1e-3, 1e8};
constexpr util::Bounds k_tokens_range{1, 1e8, true};

// NOTE: one table drives the flags, the JSON reader and --help, so the three cannot disagree.
const std::vector<Field>& fields() {
  static const std::vector<Field> f{
      {"model", Kind::text, "ID", "Named model: a catalog id (llama-3.1-8b, resnet-50) in any case, or a Hugging Face name "
                                  "(meta-llama/Llama-3.1-8B-Instruct; also read from the local Hugging Face cache)"},
      {"model_config", Kind::text, "PATH", "Size the model from a Hugging Face config.json, or a model directory (exact "
                                           "parameters and dtypes from its *.safetensors headers); offline"},
      {"family", Kind::text, "ID", "Model family (e.g. llm-decoder, cnn, classical-trees)"},
      {"params", Kind::count, "N", "Parameters: 350M, 7B, 1.2T", k_count_range},
      {"active_params", Kind::count, "N", "Active parameters per token (mixture of experts)", k_count_range},
      {"precision", Kind::text, "P", "fp32, fp16, bf16, fp8, int8 or int4"},
      {"phase", Kind::text, "PHASE", "training, fine-tuning or inference"},
      {"method", Kind::text, "M", "Fine-tuning method: full, lora or qlora"},
      {"mode", Kind::text, "MODE", "Inference mode: realtime or batch"},
      {"qps", Kind::number, "N", "Requests per second to serve", {1e-6, 1e7}},
      {"latency_ms", Kind::number, "MS", "Target latency per request", k_ms_range},
      {"ttft_ms", Kind::number, "MS", "Target time to first token (LLM inference)", k_ms_range},
      {"tpot_ms", Kind::number, "MS", "Target time per output token (LLM inference)", k_ms_range},
      {"input_tokens", Kind::integer, "N", "Tokens in per request (or sequence length for training)", k_tokens_range},
      {"output_tokens", Kind::integer, "N", "Tokens out per request", k_tokens_range},
      {"batch_size", Kind::integer, "N", "Concurrent requests or sequences per replica (default: chosen per instance)", {1, 1e7, true}},
      {"dataset_samples", Kind::count, "N", "Training samples (rows, images, sequences)", k_count_range},
      {"dataset_tokens", Kind::count, "N", "Training tokens", k_count_range},
      {"epochs", Kind::number, "N", "Passes over the dataset", {1e-6, 1e6}},
      {"features", Kind::integer, "N", "Columns per row (classical ML)", {1, 1e9, true}},
      {"denoising_steps", Kind::integer, "N", "Denoising steps per image (diffusion)", {1, 1e5, true}},
      {"resolution", Kind::integer, "PX", "Image side in pixels (image models; default: the model's native resolution)", {8, 65536, true}},
      {"iterations", Kind::integer, "N", "Boosting rounds or solver iterations (classical ML)", {1, 1e9, true}},
      {"gradient_checkpointing", Kind::flag, "", "Recompute activations in the backward pass (training)"},
      {"optimizations", Kind::list, "LIST", "Model made smaller: quantized, pruned, distilled"},
      {"deadline_hours", Kind::number, "H", "Training or a batch job must finish within this many hours (batch default: 24)", {1e-3, 1e6}},
      {"budget_usd_per_hour", Kind::number, "USD", "At most this much per hour", {1e-6, 1e9}},
      {"budget_usd", Kind::number, "USD", "At most this much for the whole run", {1e-6, 1e13}},
      {"max_utilisation", Kind::number, "X", "Real-time serving: size the fleet to run at most this share of its capacity, 0.01 to 1 "
                                             "(recommend and check; default 0.8)", {0.01, 1}},
      {"min_replicas", Kind::integer, "N", "Real-time serving: at least this many replicas over the fleet, on 2 instances or more "
                                           "when 2 or more (recommend and check; default 2, or 1 to allow a single replica)",
       {1, 1000, true}},
      {"cloud", Kind::list, "LIST", "Allowed clouds: aws,gcp,azure (default all)"},
      {"compute", Kind::list, "LIST", "Allowed compute kinds: cpu,gpu,tpu,inferentia,trainium (default all; list cpu to train "
                                      "a deep network on CPUs)"},
      {"region", Kind::text, "R[,R2]", "Only these regions (one per cloud or several), or 'any' for the cheapest (default: each instance's home region)"},
      {"spot", Kind::flag, "", "Price spot or preemptible capacity where the region's offer has a spot price"},
      {"framework", Kind::text, "F", "pytorch, tensorflow, jax, xgboost, sklearn, onnx or torchrec"},
      {"priorities", Kind::list, "LIST", "Any of flexibility, security, integration, ease, scalability, cost, maintenance"},
      {"ops_maturity", Kind::text, "LEVEL", "How much operations work the team can take on: low, medium, high"},
      {"traffic", Kind::text, "T", "steady, spiky or intermittent"},
  };
  return f;
}

const Field& field(std::string_view key) {
  for (const auto& f : fields()) {
    if (f.key == key) return f;
  }
  throw std::logic_error(fmt::format("no workload field '{}'", key));
}

std::string flag_name(const std::string& key) {
  std::string out = "--" + key;
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

// Flags become JSON values of the same types a file would hold, so one reader checks both.
Json flag_value(const Field& field, const std::string& raw, std::vector<util::Diagnostic>& diagnostics) {
  const std::string flag = flag_name(field.key);
  auto bad = [&](const char* expected) {
    util::add_diagnostic(diagnostics, util::Diagnostic{"", 0, 0, flag,
                                           fmt::format("expected {}, got '{}'", expected, util::escape_for_terminal(raw))});
    return Json();
  };
  switch (field.kind) {
    case Kind::count:
    case Kind::number:
    case Kind::integer: {
      // NOTE: a negative, out-of-range or subnormal flag is reported by the reader below with the
      // same words as a file; only text that is no number at all is caught here.
      auto v = !raw.empty() && raw.front() == '-' ? util::parse_decimal(raw) : util::parse_count(raw);
      if (!v && !raw.empty() && raw.front() != '-') {
        // A subnormal value is a number, only too small: let the range check say so.
        double tiny = 0;
        const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), tiny);
        if (end == raw.data() + raw.size() && std::isfinite(tiny) && !util::is_normal_or_zero(tiny)) v = tiny;
      }
      if (!v) return bad(field.kind == Kind::count ? "a number like 350M, 7B or 1.2T" : "a number");
      if (auto n = util::to_integer(*v, -(std::int64_t{1} << 53), std::int64_t{1} << 53)) return Json(*n);
      return Json(*v);
    }
    case Kind::text: return Json(raw);
    case Kind::list: return Json(util::split_list(raw));
    case Kind::flag: return Json(true);
  }
  return Json();
}

std::string fmt_number(double v) { return util::format_count(v); }

}  // namespace

std::string_view to_string(Phase p) { return k_phases[static_cast<std::size_t>(p)]; }
std::string_view to_string(Method m) { return k_methods[static_cast<std::size_t>(m)]; }
std::string_view to_string(Mode m) { return k_modes[static_cast<std::size_t>(m)]; }

const std::vector<WorkloadFlag>& workload_flags() {
  static const std::vector<WorkloadFlag> flags = [] {
    std::vector<WorkloadFlag> out;
    static std::vector<std::string> names;
    names.reserve(fields().size());
    for (const auto& f : fields()) names.push_back(flag_name(f.key));
    for (std::size_t i = 0; i < fields().size(); ++i) {
      out.push_back(WorkloadFlag{names[i].c_str(), fields()[i].type_name, fields()[i].help});
    }
    return out;
  }();
  return flags;
}

Workload normalise(const util::JsonDocument* file, const FlagValues& flags, const catalog::Catalog& catalog, const std::string& at) {
  std::vector<util::Diagnostic> diagnostics;
  Json merged = Json::object();
  std::map<std::string, Location> where;
  if (file) {
    const Json* object = &file->value();
    if (!at.empty()) {
      const Json::json_pointer pointer(at);
      object = file->value().contains(pointer) ? &file->value().at(pointer) : nullptr;
    }
    if (!object || !object->is_object()) {
      throw util::InputError(std::vector<util::Diagnostic>{file->diagnostic(
          at, fmt::format("expected a workload object, got {}", object ? util::describe_value(*object) : std::string("nothing")))});
    }
    for (const auto& [key, value] : object->items()) {
      merged[key] = value;
      where[key] = Location{file, util::pointer_append(at, key)};
    }
  }
  for (const auto& field : fields()) {
    auto it = flags.find(field.key);
    if (it == flags.end()) continue;
    Json v = flag_value(field, it->second, diagnostics);
    if (v.is_null()) continue;
    merged[field.key] = std::move(v);
    where[field.key] = Location{nullptr, flag_name(field.key)};
  }
  const Location root = file ? Location{file, at} : Location{nullptr, "workload"};
  util::ObjectReader r(merged, root, diagnostics, [&](std::string_view key) {
    auto it = where.find(std::string(key));
    return it != where.end() ? it->second : Location{root.document, util::pointer_append(root.pointer, key)};
  });

  Workload w;
  // Read every field first, so that every problem is reported in one run.
  auto model_id = r.string("model");
  w.model_config = r.string("model_config");
  auto family_id = r.string("family");
  const auto bounded = [&](const char* key) { return r.number(key, field(key).bounds); };
  auto params = bounded("params");
  auto active = bounded("active_params");
  auto precision = r.one_of("precision", catalog::precision_names());
  auto phase = r.one_of("phase", k_phases);
  auto method = r.one_of("method", k_methods);
  auto mode = r.one_of("mode", k_modes);
  w.qps = bounded("qps");
  w.latency_ms = bounded("latency_ms");
  w.ttft_ms = bounded("ttft_ms");
  w.tpot_ms = bounded("tpot_ms");
  w.input_tokens = bounded("input_tokens");
  w.output_tokens = bounded("output_tokens");
  w.batch_size = bounded("batch_size");
  w.dataset_samples = bounded("dataset_samples");
  w.dataset_tokens = bounded("dataset_tokens");
  w.epochs = bounded("epochs");
  w.features = bounded("features");
  w.denoising_steps = bounded("denoising_steps");
  w.resolution = bounded("resolution");
  w.iterations = bounded("iterations");
  w.gradient_checkpointing = r.boolean("gradient_checkpointing");
  w.optimizations = r.string_list("optimizations", &k_optimizations);
  w.deadline_hours = bounded("deadline_hours");
  w.budget_usd_per_hour = bounded("budget_usd_per_hour");
  w.budget_usd = bounded("budget_usd");
  w.max_utilisation = bounded("max_utilisation");
  w.min_replicas = bounded("min_replicas");
  for (const auto& c : r.string_list("cloud", &catalog::cloud_names())) w.clouds.push_back(*catalog::parse_cloud(c));
  for (const auto& c : r.string_list("compute", &catalog::compute_kind_names())) w.compute.push_back(*catalog::parse_compute_kind(c));
  if (auto region = r.string("region")) {
    // Every listed region must be one the catalog sells in (catalog/offers.hpp); kept canonical.
    if (auto problem = catalog::check_regions(catalog, *region)) r.error("region", *problem);
    else w.region = catalog::canonical_regions(*region);
  }
  w.spot = r.boolean("spot").value_or(false);
  auto framework = r.one_of("framework", catalog::framework_names());
  w.priorities = r.string_list("priorities", &k_priorities);
  auto ops = r.one_of("ops_maturity", k_ops);
  auto traffic = r.one_of("traffic", k_traffic);
  w.assumed = r.string_list("assumed");
  r.finish();

  // Ids the catalog must know.
  const catalog::Model* model = nullptr;
  std::string model_match;  // how a name that is not an id was matched, for `assumed`
  if (model_id) {
    if (auto match = models::match_catalog_model(*model_id, catalog)) {
      model = catalog.model(match->id);
      model_match = match->how;
      model_id = match->id;
    } else if (w.model_config) {
      r.error("model_config", fmt::format("model '{}' from {} was not read: model_config is read with the recommend, estimate and check "
                                          "flags, --workload files and --batch lines, not in project files",
                                          *model_id, *w.model_config));
    } else {
      r.error("model", models::unknown_model_message(*model_id, catalog, models::hf_cache_dir().string()));
    }
  } else if (w.model_config) {
    r.error("model_config", fmt::format("model_config {} was not read: it is read with the recommend, estimate and check flags, "
                                        "--workload files and --batch lines, not in project files",
                                        *w.model_config));
  }
  const catalog::Family* family = nullptr;
  if (family_id) {
    family = catalog.family(*family_id);
    if (!family) {
      r.error("family", models::unknown_family_message(*family_id, catalog));
    } else if (model && model->family != *family_id) {
      r.error("family", fmt::format("model '{}' is of family '{}', not '{}'", model->id, model->family, *family_id));
    }
  }
  if (!model_id && !family_id) {
    util::add_diagnostic(diagnostics, root, "give a model (--model) or a family (--family)");
  }
  if (!diagnostics.empty()) throw util::InputError(std::move(diagnostics));
  if (!family) family = catalog.family(model->family);
  if (!family) {
    throw util::InputError(fmt::format("model '{}' names family '{}', which the catalog lacks", model->id, model->family));
  }

  auto assume = [&w](std::string text) {
    if (std::find(w.assumed.begin(), w.assumed.end(), text) == w.assumed.end()) w.assumed.push_back(std::move(text));
  };
  if (!model_match.empty()) assume(model_match);

  w.model = model_id;
  w.family = family->id;
  w.sizing = family->sizing;
  w.phase = phase ? static_cast<Phase>(std::find(k_phases.begin(), k_phases.end(), *phase) - k_phases.begin())
                  : Phase::inference;
  if (!phase) assume("phase: inference (default)");

  // Parameters: explicit, else the model's, else the family's typical size.
  if (params) {
    w.params = params;
  } else if (model && model->params) {
    w.params = model->params;
  } else if (!model && family->typical_params) {
    w.params = family->typical_params;
    assume(fmt::format("params: {} (typical for {})", fmt_number(*family->typical_params), family->id));
  }
  w.active_params = active ? active : (model && !params ? model->active_params : std::nullopt);

  // Contradictions are rejected with the field named.
  if (method && w.phase != Phase::fine_tuning && *method != "full") {
    r.error("method", fmt::format("method '{}' applies to fine-tuning, not to {}", *method, to_string(w.phase)));
  }
  if (mode && w.phase != Phase::inference) {
    r.error("mode", fmt::format("mode applies to inference, not to {}", to_string(w.phase)));
  }
  for (const char* key : {"ttft_ms", "tpot_ms"}) {
    if (r.has(key) && (w.phase != Phase::inference || w.sizing != SizingMethod::transformer_decoder)) {
      r.error(key, fmt::format("{} applies to LLM inference (a decoder model), not to {} of family '{}'", key,
                               to_string(w.phase), w.family));
    }
  }
  if (w.phase == Phase::inference) {
    for (const char* key : {"dataset_tokens", "epochs"}) {
      if (r.has(key)) r.error(key, fmt::format("{} applies to training and fine-tuning, not to inference", key));
    }
    const bool batch = mode && *mode == "batch";
    for (const char* key : {"deadline_hours", "budget_usd"}) {
      if (r.has(key) && !batch) r.error(key, fmt::format("{} applies to training and batch inference, not to realtime inference", key));
    }
    for (const char* key : {"max_utilisation", "min_replicas"}) {
      if (r.has(key) && batch) r.error(key, fmt::format("{} applies to realtime inference, not to batch inference", key));
    }
  } else {
    for (const char* key : {"qps", "latency_ms", "max_utilisation", "min_replicas"}) {
      if (r.has(key)) r.error(key, fmt::format("{} applies to inference, not to {}", key, to_string(w.phase)));
    }
  }
  if (w.active_params && w.params && *w.active_params > *w.params) {
    r.error("active_params", "active_params exceeds params");
  }
  if (w.sizing == SizingMethod::classical && (r.has("input_tokens") || r.has("output_tokens"))) {
    r.error(r.has("input_tokens") ? "input_tokens" : "output_tokens", "token counts do not apply to classical ML");
  }
  if (!diagnostics.empty()) throw util::InputError(std::move(diagnostics));

  w.method = method ? static_cast<Method>(std::find(k_methods.begin(), k_methods.end(), *method) - k_methods.begin())
                    : Method::full;
  if (w.phase == Phase::fine_tuning && !method) assume("method: full (default for fine-tuning)");
  w.mode = mode ? (*mode == "batch" ? Mode::batch : Mode::realtime) : Mode::realtime;
  if (w.phase == Phase::inference && !mode) assume("mode: realtime (default)");

  // Precision: explicit, else what the weights are published in, else bf16 (fp32 for classical).
  if (w.method == Method::qlora) {
    if (!precision || *precision != "int4") assume("precision: int4 (QLoRA keeps the frozen weights in 4-bit NF4)");
    w.precision = catalog::Precision::int4;
  } else if (precision) {
    w.precision = *catalog::parse_precision(*precision);
  } else if (w.sizing == SizingMethod::classical) {
    w.precision = catalog::Precision::fp32;
    assume("precision: fp32 (classical ML)");
  } else if (model && model->default_precision && w.trains() &&
             (*model->default_precision == catalog::Precision::int8 || *model->default_precision == catalog::Precision::int4)) {
    // NOTE: training updates the weights in 16 bits; quantised published weights (gpt-oss's MXFP4)
    // are the serving form.
    w.precision = catalog::Precision::bf16;
    assume(fmt::format("precision: bf16 (training needs 16-bit weights; the published weights are {})",
                       catalog::to_string(*model->default_precision)));
  } else if (model && model->default_precision && *model->default_precision != catalog::Precision::fp32) {
    w.precision = *model->default_precision;
    assume(fmt::format("precision: {} (the published weights)", to_string(w.precision)));
  } else {
    w.precision = catalog::Precision::bf16;
    assume(w.trains() ? "precision: bf16 (mixed-precision training)" : "precision: bf16 (default)");
  }


  if (w.is_transformer()) {
    if (!w.input_tokens) {
      w.input_tokens = w.trains() ? 2048 : 512;
      assume(fmt::format("input_tokens: {} (default for {})", *w.input_tokens,
                         w.trains() ? "training sequence length" : "inference"));
    }
    if (w.phase == Phase::inference && w.is_llm() && !w.output_tokens) {
      w.output_tokens = 256;
      assume("output_tokens: 256 (default for LLM inference)");
    }
  }
  if (w.sizing == SizingMethod::classical && !w.features) {
    w.features = 100;
    assume("features: 100 (default)");
  }
  if (w.sizing == SizingMethod::classical && !w.iterations) {
    w.iterations = 100;
    assume("iterations: 100 (default boosting rounds or solver iterations)");
  }
  if (w.family == "diffusion" && !w.denoising_steps) {
    w.denoising_steps = 50;
    assume("denoising_steps: 50 (default num_inference_steps of the diffusers Stable Diffusion pipelines)");
  }
  // Real-time serving with no target at all would accept any latency; state the interactive
  // defaults instead, so a minute-long answer is never proposed silently.
  if (w.phase == Phase::inference && w.mode == Mode::realtime && !w.latency_ms && !w.ttft_ms && !w.tpot_ms) {
    if (w.is_llm() || w.sizing == SizingMethod::transformer_encoder_decoder) {
      if (w.is_llm()) {
        w.tpot_ms = 150;
        w.ttft_ms = 2000;
        assume("tpot_ms: 150 and ttft_ms: 2000 (default interactive targets: about reading speed, and a first token within 2 s)");
      } else {
        w.latency_ms = 5000;
        assume("latency_ms: 5000 (default interactive target)");
      }
    } else if (w.family == "diffusion") {
      w.latency_ms = 30000;
      assume("latency_ms: 30000 (default interactive target for image generation)");
    } else {
      w.latency_ms = 1000;
      assume("latency_ms: 1000 (default interactive target)");
    }
  }
  if (w.phase == Phase::inference && w.mode == Mode::realtime && !w.qps) {
    w.qps = 1;
    assume("qps: 1 (default)");
  }
  if (w.phase == Phase::inference && w.mode == Mode::batch && !w.dataset_samples) {
    w.dataset_samples = 1e6;
    assume("dataset_samples: 1M (default batch job size)");
  }
  // NOTE: without a window a batch job is sized to the cheapest single instance, however many
  // hours that takes (thousands, for a large model); a day is what practice expects of one.
  if (w.phase == Phase::inference && w.mode == Mode::batch && !w.deadline_hours) {
    w.deadline_hours = k_default_batch_deadline_hours;
    assume(fmt::format("deadline_hours: {:g} (default window for a batch job, so that it is sized to finish within a day rather "
                       "than on the cheapest single instance; --deadline-hours changes it)",
                       k_default_batch_deadline_hours));
  }
  if (w.trains()) {
    if (w.is_transformer() && !w.dataset_tokens) {
      if (w.dataset_samples && w.input_tokens) {
        w.dataset_tokens = *w.dataset_samples * *w.input_tokens;
        assume("dataset_tokens: dataset_samples x input_tokens");
      } else if (w.phase == Phase::training && w.params) {
        w.dataset_tokens = 20 * *w.params;
        assume(fmt::format("dataset_tokens: {} (20 tokens per parameter, the Chinchilla compute-optimal ratio)",
                           fmt_number(*w.dataset_tokens)));
      } else {
        w.dataset_tokens = 1e8;
        assume("dataset_tokens: 100M (default fine-tuning set)");
      }
    }
    if (!w.is_transformer() && !w.dataset_samples) {
      w.dataset_samples = 1e6;
      assume("dataset_samples: 1M (default)");
    }
    if (!w.epochs) {
      w.epochs = w.is_transformer() ? 1 : (w.sizing == SizingMethod::classical ? 1 : 10);
      assume(fmt::format("epochs: {} (default)", *w.epochs));
    }
  }
  if (w.clouds.empty()) {
    w.clouds = {catalog::Cloud::aws, catalog::Cloud::gcp, catalog::Cloud::azure};
    assume("cloud: aws, gcp, azure (default: all)");
  }
  if (framework) {
    w.framework = *framework;
  } else if (const catalog::Family* fam = catalog.family(w.family); fam && !fam->frameworks.empty()) {
    // The family's first library (families.json): recommenders train with TorchRec, the library of
    // the MLPerf DLRM reference, which runs on CUDA and CPUs only.
    w.framework = fam->frameworks.front();
    assume(fmt::format("framework: {} (default for {})", w.framework, w.family));
  } else {
    w.framework = w.family == "classical-trees" ? "xgboost" : w.sizing == SizingMethod::classical ? "sklearn" : "pytorch";
    assume(fmt::format("framework: {} (default for {})", w.framework, w.family));
  }
  w.ops_maturity = ops.value_or("medium");
  if (!ops) assume("ops_maturity: medium (default)");
  w.traffic = traffic.value_or("steady");
  if (!traffic) assume("traffic: steady (default)");
  if (!w.params && w.sizing != SizingMethod::classical) {
    throw util::InputError(std::vector<util::Diagnostic>{util::diagnostic_at(
        r.location_of("params"),
        model ? fmt::format("the size of the model is unknown: give --params (the catalog has no parameter count for model '{}')",
                            model->id)
              : fmt::format("the size of the model is unknown: give --params (family '{}' has no typical size)", w.family))});
  }
  return w;
}

Json to_json(const Workload& w) {
  Json j = Json::object();
  if (w.model) j["model"] = *w.model;
  if (w.model_config) j["model_config"] = *w.model_config;
  j["family"] = w.family;
  if (w.params) j["params"] = *w.params;
  if (w.active_params) j["active_params"] = *w.active_params;
  j["precision"] = std::string(catalog::to_string(w.precision));
  j["phase"] = std::string(to_string(w.phase));
  if (w.phase == Phase::fine_tuning) j["method"] = std::string(to_string(w.method));
  if (w.phase == Phase::inference) j["mode"] = std::string(to_string(w.mode));
  auto put = [&j](const char* key, const std::optional<double>& v) {
    if (v) j[key] = *v;
  };
  put("qps", w.qps);
  put("latency_ms", w.latency_ms);
  put("ttft_ms", w.ttft_ms);
  put("tpot_ms", w.tpot_ms);
  put("input_tokens", w.input_tokens);
  put("output_tokens", w.output_tokens);
  put("batch_size", w.batch_size);
  put("dataset_samples", w.dataset_samples);
  put("dataset_tokens", w.dataset_tokens);
  put("epochs", w.epochs);
  put("features", w.features);
  put("denoising_steps", w.denoising_steps);
  put("resolution", w.resolution);
  put("iterations", w.iterations);
  if (w.gradient_checkpointing) j["gradient_checkpointing"] = *w.gradient_checkpointing;
  if (!w.optimizations.empty()) j["optimizations"] = w.optimizations;
  put("deadline_hours", w.deadline_hours);
  put("budget_usd_per_hour", w.budget_usd_per_hour);
  put("budget_usd", w.budget_usd);
  put("max_utilisation", w.max_utilisation);
  put("min_replicas", w.min_replicas);
  Json clouds = Json::array();
  for (auto c : w.clouds) clouds.push_back(std::string(catalog::to_string(c)));
  j["cloud"] = clouds;
  if (!w.compute.empty()) {
    Json kinds = Json::array();
    for (auto c : w.compute) kinds.push_back(std::string(catalog::to_string(c)));
    j["compute"] = kinds;
  }
  if (w.region) j["region"] = *w.region;
  if (w.spot) j["spot"] = true;
  j["framework"] = w.framework;
  j["priorities"] = w.priorities;
  j["ops_maturity"] = w.ops_maturity;
  j["traffic"] = w.traffic;
  j["assumed"] = w.assumed;
  return j;
}

}  // namespace aiadvise::workload
