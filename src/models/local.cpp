#include "aiadvise/models/local.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include "aiadvise/models/hf_config.hpp"
#include "aiadvise/models/safetensors.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::models {

namespace fs = std::filesystem;

namespace {

// "models--Qwen--Qwen3-8B" -> "Qwen/Qwen3-8B".
std::optional<std::string> repo_from_cache_folder(const std::string& folder) {
  constexpr std::string_view prefix = "models--";
  if (folder.rfind(prefix, 0) != 0) return std::nullopt;
  std::string rest = folder.substr(prefix.size());
  const auto sep = rest.find("--");
  if (sep == std::string::npos) return rest;
  return rest.substr(0, sep) + "/" + rest.substr(sep + 2);
}

std::string derived_id(const fs::path& dir) {
  // .../models--org--name/snapshots/<revision>
  for (fs::path p = dir; !p.empty() && p != p.root_path(); p = p.parent_path()) {
    if (auto repo = repo_from_cache_folder(p.filename().string())) return *repo;
  }
  const std::string name = dir.filename().string();
  return name.empty() ? "local-model" : name;
}

std::string file_date(const fs::path& file) {
  std::error_code ec;
  const auto when = fs::last_write_time(file, ec);
  if (ec) return "";
  const auto sys = std::chrono::file_clock::to_sys(when);
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::system_clock::duration>(sys));
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::optional<catalog::Precision> precision_of_dtype(const std::string& dtype) {
  if (dtype == "BF16") return catalog::Precision::bf16;
  if (dtype == "F16") return catalog::Precision::fp16;
  if (dtype == "F32") return catalog::Precision::fp32;
  if (dtype.rfind("F8_", 0) == 0) return catalog::Precision::fp8;
  if (dtype == "I8") return catalog::Precision::int8;
  return std::nullopt;
}

}  // namespace

LocalModel read_local_model(const std::string& path, std::string id, const util::JsonLimits& limits) {
  std::error_code ec;
  const fs::path given(path);
  const bool directory = fs::is_directory(given, ec);
  const fs::path config = directory ? given / "config.json" : given;
  if (directory && !fs::exists(config, ec)) {
    throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{
        path, 0, 0, "--model-config", "the directory has no config.json: give a Hugging Face model directory or its config.json"}});
  }
  std::vector<util::Diagnostic> diagnostics;
  const auto doc = util::JsonDocument::parse(config.string(), util::read_input(config.string(), limits.max_bytes), limits, diagnostics);
  if (!doc.ok()) throw util::InputError(std::move(diagnostics));
  const HfModel hf = read_hf_config(doc);

  LocalModel out;
  catalog::Model& m = out.model;
  m.id = id.empty() ? derived_id(directory ? given : (config.has_parent_path() ? config.parent_path() : fs::current_path(ec))) : std::move(id);
  m.name = m.id;
  m.family = hf.family;
  m.params = hf.params;
  m.active_params = hf.active_params;
  m.architecture = hf.architecture;
  m.default_precision = hf.precision;
  m.frameworks = {"pytorch"};
  m.provenance.source = config.string();
  m.provenance.as_of = file_date(config);

  std::string how = fmt::format("{} parameters counted from its {} architecture", util::format_count(hf.params),
                                hf.model_type.empty() ? "Llama-style" : hf.model_type);
  if (directory) {
    CountOptions options;
    const auto& v = doc.value();
    if (v.contains("num_nextn_predict_layers") && v["num_nextn_predict_layers"].is_number_integer() &&
        v["num_nextn_predict_layers"].get<int>() > 0 && hf.architecture.layers) {
      options.first_extra_layer = *hf.architecture.layers;
    }
    options.mxfp4_blocks = v.contains("quantization_config") && v["quantization_config"].is_object() &&
                           v["quantization_config"].value("quant_method", "") == "mxfp4";
    const TensorCount tensors = count_safetensors_directory(given, options);
    if (tensors.files > 0 && tensors.params > 0) {
      // NOTE: the headers are exact; the config's count stays the check on them, and the MoE active
      // share is scaled to the exact total.
      const double from_config = hf.params;
      m.params = tensors.params;
      if (hf.active_params && from_config > 0) m.active_params = *hf.active_params * tensors.params / from_config;
      std::vector<std::string> dtypes;
      for (const auto& [dtype, n] : tensors.by_dtype) dtypes.push_back(fmt::format("{} {}", dtype, util::format_count(n)));
      how = fmt::format("{} parameters from the headers of {} safetensors file(s) ({}; the config gives {})", util::format_count(tensors.params),
                        tensors.files, util::join(dtypes, ", "), util::format_count(from_config));
      if (auto p = precision_of_dtype(tensors.main_dtype()); p && !(hf.precision && *hf.precision == catalog::Precision::int4)) {
        m.default_precision = p;
      }
      for (const auto& n : tensors.notes) out.assumed.push_back("model: " + n);
    }
  }
  out.assumed.insert(out.assumed.begin(), fmt::format("model: {} described by {}: {}, family {}", m.id, config.string(), how, hf.family));
  for (const auto& n : hf.notes) out.assumed.push_back("model: " + n);
  return out;
}

fs::path hf_cache_dir() {
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : std::string();
  };
  if (auto v = env("HF_HUB_CACHE"); !v.empty()) return v;
  if (auto v = env("HF_HOME"); !v.empty()) return fs::path(v) / "hub";
  if (auto v = env("XDG_CACHE_HOME"); !v.empty()) return fs::path(v) / "huggingface" / "hub";
  if (auto v = env("HOME"); !v.empty()) return fs::path(v) / ".cache" / "huggingface" / "hub";
  return fs::path(".cache") / "huggingface" / "hub";
}

std::optional<fs::path> find_in_hf_cache(std::string_view repo) {
  const auto slash = repo.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == repo.size() || repo.find('/', slash + 1) != std::string_view::npos ||
      repo.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  const fs::path base = hf_cache_dir() / fmt::format("models--{}--{}", repo.substr(0, slash), repo.substr(slash + 1));
  std::error_code ec;
  if (!fs::is_directory(base / "snapshots", ec)) return std::nullopt;
  std::ifstream main_ref(base / "refs" / "main");
  std::string revision;
  if (main_ref && std::getline(main_ref, revision)) {
    while (!revision.empty() && (revision.back() == '\n' || revision.back() == '\r' || revision.back() == ' ')) revision.pop_back();
    if (!revision.empty() && revision.find('/') == std::string::npos && fs::exists(base / "snapshots" / revision / "config.json", ec)) {
      return base / "snapshots" / revision;
    }
  }
  std::optional<fs::path> newest;
  fs::file_time_type newest_time{};
  for (const auto& entry : fs::directory_iterator(base / "snapshots", ec)) {
    if (!fs::exists(entry.path() / "config.json", ec)) continue;
    const auto t = fs::last_write_time(entry.path(), ec);
    if (!newest || t > newest_time) {
      newest = entry.path();
      newest_time = t;
    }
  }
  return newest;
}

}  // namespace aiadvise::models
