#pragma once
/// Hugging Face model configurations (config.json) read offline: the architecture, and the
/// parameter count derived from it, for the model types teams run: Llama, Mistral, Qwen2/Qwen3 and
/// their MoE, Gemma 1/2/3, Phi-3/Phi-4, Mixtral, DeepSeek-V3, gpt-oss, BERT/RoBERTa/XLM-RoBERTa,
/// nomic-bert, T5, Whisper, ViT and CLIP. docs/models.md states each formula.

#include <optional>
#include <string>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/util/json_document.hpp"

namespace aiadvise::models {

struct HfModel {
  std::string model_type;  ///< the config's model_type ("llama", "qwen3_moe", ...)
  std::string family;      ///< catalog family: llm-decoder, llm-moe, transformer-encoder, transformer-encoder-decoder
  double params = 0;       ///< total, counted from the architecture
  std::optional<double> active_params;  ///< mixture of experts: per token
  catalog::Architecture architecture;
  std::optional<catalog::Precision> precision;  ///< from torch_dtype / dtype, or quantization_config
  std::vector<std::string> notes;               ///< how the count was made, and what it leaves out
};

/// The model types read_hf_config counts exactly (others that look like a Llama-style decoder are
/// counted as one, with a note saying so).
const std::vector<std::string>& supported_model_types();

/// Reads a parsed config.json. Throws util::InputError, located in `doc`, for a model type it
/// cannot count or a field that is missing or of the wrong type.
HfModel read_hf_config(const util::JsonDocument& doc);

}  // namespace aiadvise::models
