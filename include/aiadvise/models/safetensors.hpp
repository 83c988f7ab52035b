#pragma once
/// Parameter counts and dtypes from *.safetensors headers, without reading the weights: a file
/// starts with an 8-byte little-endian header length, then that many bytes of JSON naming each
/// tensor's dtype, shape and byte range (https://github.com/huggingface/safetensors).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace aiadvise::models {

struct TensorCount {
  double params = 0;                          ///< elements of every counted tensor
  std::map<std::string, double> by_dtype;     ///< params by safetensors dtype ("BF16", "F8_E4M3", ...)
  std::size_t tensors = 0;
  std::size_t files = 0;
  std::size_t skipped_tensors = 0;            ///< quantisation scales and multi-token-prediction layers, not parameters of the model
  std::vector<std::string> notes;

  /// The dtype holding most parameters ("" when there are none).
  std::string main_dtype() const;
};

/// What to leave out or unpack while counting.
struct CountOptions {
  /// Layers "model.layers.N." with N at or above this are left out (DeepSeek-V3's
  /// multi-token-prediction module is stored as extra layers). 0: keep every layer.
  long long first_extra_layer = 0;
  /// U8 tensors whose names end in "_blocks" hold two 4-bit values per byte (MXFP4, gpt-oss).
  bool mxfp4_blocks = false;
};

/// Adds one file's tensors to `count`. Reads only the header: its first 8 bytes and the JSON after
/// them (at most 100 MB, the format's own cap). Throws util::InputError naming the file for a
/// truncated file, a header that is not JSON, or a tensor whose byte range does not match its
/// dtype and shape.
void count_safetensors(const std::filesystem::path& file, TensorCount& count, const CountOptions& options = {});

/// Every *.safetensors file directly in `directory`, in name order (none: files == 0).
TensorCount count_safetensors_directory(const std::filesystem::path& directory, const CountOptions& options = {});

}  // namespace aiadvise::models
