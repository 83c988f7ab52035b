#pragma once
/// Models described by files on this machine: a config.json, a model directory (config.json and
/// *.safetensors), or a Hugging Face repo id found in the local Hugging Face cache. Nothing is
/// downloaded.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/util/json_document.hpp"

namespace aiadvise::models {

/// A model read from files, as a catalog entry.
struct LocalModel {
  catalog::Model model;
  /// What was read and what follows from it, in words, for the workload's `assumed`.
  std::vector<std::string> assumed;
};

/// Reads `path`: a config.json, or a directory holding one (then the exact parameter count and the
/// dtypes come from its *.safetensors headers when it has any). The entry's id is `id`, or when
/// empty one derived from the path (the cache's models--org--name as org/name, else the directory
/// name). Throws util::InputError naming the file for a missing or unreadable one.
LocalModel read_local_model(const std::string& path, std::string id, const util::JsonLimits& limits);

/// The Hugging Face hub cache: $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub,
/// else ~/.cache/huggingface/hub (the layout huggingface_hub uses).
std::filesystem::path hf_cache_dir();

/// The snapshot of `repo` ("org/name") in the cache with a config.json: the revision refs/main
/// names, else the most recently modified snapshot. nullopt when the cache does not have it.
std::optional<std::filesystem::path> find_in_hf_cache(std::string_view repo);

}  // namespace aiadvise::models
