#pragma once
/// A described workload, normalised against the catalog: every field set, every default named in
/// `assumed`. The same object is read from flags, from a --workload file and written in the JSON
/// output, so any result can be reproduced by feeding its `workload` back.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/util/json_document.hpp"

namespace aiadvise::workload {

enum class Phase { training, fine_tuning, inference };
enum class Method { full, lora, qlora };
enum class Mode { realtime, batch };

std::string_view to_string(Phase p);
std::string_view to_string(Method m);
std::string_view to_string(Mode m);

struct Workload {
  std::optional<std::string> model;  ///< catalog model id (a model read from files is added to the catalog first)
  std::optional<std::string> model_config;  ///< the config.json or model directory the model was read from
  std::string family;                ///< catalog family id
  catalog::SizingMethod sizing = catalog::SizingMethod::dense;
  std::optional<double> params;         ///< total parameters; none for classical models
  std::optional<double> active_params;  ///< mixture of experts
  catalog::Precision precision = catalog::Precision::bf16;
  Phase phase = Phase::inference;
  Method method = Method::full;
  Mode mode = Mode::realtime;
  // Targets (absent: no target).
  std::optional<double> qps, latency_ms, ttft_ms, tpot_ms;
  std::optional<double> deadline_hours, budget_usd_per_hour, budget_usd;
  /// Real-time serving headroom (absent: the decision's defaults, scoring::serving_headroom).
  std::optional<double> max_utilisation;  ///< the largest share of capacity a fleet is sized to run at
  std::optional<double> min_replicas;     ///< the fewest replicas over the whole fleet
  // Shape of the work.
  std::optional<double> input_tokens, output_tokens;
  std::optional<double> batch_size;  ///< absent: chosen per candidate
  std::optional<double> dataset_samples, dataset_tokens, epochs, features, denoising_steps, iterations;
  std::optional<double> resolution;  ///< image side in pixels (image models)
  std::optional<bool> gradient_checkpointing;  ///< absent: chosen (on where standard or needed to fit)
  std::vector<std::string> optimizations;  ///< quantized, pruned, distilled
  // Where and how.
  std::vector<catalog::Cloud> clouds;
  /// Compute kinds the user allows (--compute); empty: any. Listing cpu is also how a user asks
  /// for CPU training of a deep network (rule training-cpu-deep-network).
  std::vector<catalog::ComputeKind> compute;
  std::optional<std::string> region;
  bool spot = false;
  std::string framework;
  std::vector<std::string> priorities;
  std::string ops_maturity = "medium";
  std::string traffic = "steady";
  /// Defaults applied, in words ("input_tokens: 512 (default for LLM inference)").
  std::vector<std::string> assumed;

  bool is_transformer() const {
    return sizing == catalog::SizingMethod::transformer_decoder || sizing == catalog::SizingMethod::transformer_encoder ||
           sizing == catalog::SizingMethod::transformer_encoder_decoder;
  }
  bool is_llm() const { return sizing == catalog::SizingMethod::transformer_decoder; }
  bool trains() const { return phase != Phase::inference; }
};

/// Workload flags as given on the command line: name (without "--") to raw text.
using FlagValues = std::map<std::string, std::string>;

/// The flags every workload command takes, in the order `--help` lists them.
struct WorkloadFlag {
  const char* name;
  const char* type_name;
  const char* help;
};
const std::vector<WorkloadFlag>& workload_flags();

/// Reads a --workload document (may be null) and the flags (which override its fields), then
/// normalises against the catalog. Throws util::InputError listing every problem.
/// `at` is the JSON pointer of the workload object inside `file` (a project file holds several).
Workload normalise(const util::JsonDocument* file, const FlagValues& flags, const catalog::Catalog& catalog,
                   const std::string& at = "");

/// The normalised workload as JSON: a valid --workload file that gives the same answer.
util::Json to_json(const Workload& w);

}  // namespace aiadvise::workload
