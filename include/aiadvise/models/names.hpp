#pragma once
/// Model names as people write them, mapped to catalog ids: any case, a Hugging Face repo id
/// ("meta-llama/Llama-3.1-8B-Instruct"), or a chat/instruct variant of a catalog model. And, for a
/// name that maps to nothing, a message with the nearest models that are plausibly the same (a
/// typo, never another version or size) and the ways forward.

#include <optional>
#include <string>
#include <string_view>

#include "aiadvise/catalog/catalog.hpp"

namespace aiadvise::models {

struct ModelMatch {
  std::string id;   ///< catalog model id
  std::string how;  ///< why it matched, for the workload's `assumed`; "" for the id itself
};

/// The catalog model `name` stands for, or nullopt. Tried in order: the id itself; the id in any
/// case; the repo name without its organisation, instruct/chat/it suffixes and "Meta-" prefix;
/// the Hugging Face repo a catalog entry's source names; each of these without '-'
/// ("gpt2" -> gpt-2).
std::optional<ModelMatch> match_catalog_model(std::string_view name, const catalog::Catalog& catalog);

/// "unknown model 'X'", the catalog's models of the same line (the same version and size as a
/// typo fix, else listed as different models), and the ways forward: --family with --params,
/// --model-config (or the Hugging Face cache), or a catalog entry.
std::string unknown_model_message(std::string_view name, const catalog::Catalog& catalog, const std::string& hf_cache);

/// "unknown family 'X'" with a near id, or the families it begins ("llm" -> llm-decoder, llm-moe).
std::string unknown_family_message(std::string_view name, const catalog::Catalog& catalog);

}  // namespace aiadvise::models
