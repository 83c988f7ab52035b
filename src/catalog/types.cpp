#include "aiadvise/catalog/types.hpp"

#include <array>

namespace aiadvise::catalog {

namespace {
template <typename Enum>
std::optional<Enum> parse_in(const std::vector<std::string>& names, std::string_view text) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}
}  // namespace

const std::vector<std::string>& precision_names() {
  static const std::vector<std::string> names{"fp32", "tf32", "fp16", "bf16", "fp8", "int8", "int4"};
  return names;
}
const std::vector<std::string>& compute_kind_names() {
  static const std::vector<std::string> names{"cpu", "gpu", "tpu", "inferentia", "trainium"};
  return names;
}
const std::vector<std::string>& cloud_names() {
  static const std::vector<std::string> names{"aws", "gcp", "azure"};
  return names;
}
const std::vector<std::string>& sizing_method_names() {
  static const std::vector<std::string> names{"transformer-decoder", "transformer-encoder",
                                              "transformer-encoder-decoder", "dense", "classical"};
  return names;
}
const std::vector<std::string>& framework_names() {
  static const std::vector<std::string> names{"pytorch", "tensorflow", "jax", "xgboost", "sklearn", "onnx", "torchrec"};
  return names;
}
const std::vector<std::string>& phase_names() {
  static const std::vector<std::string> names{"training", "fine-tuning", "inference"};
  return names;
}

std::string_view to_string(Precision p) { return precision_names()[static_cast<std::size_t>(p)]; }
std::string_view to_string(ComputeKind k) { return compute_kind_names()[static_cast<std::size_t>(k)]; }
std::string_view to_string(Cloud c) { return cloud_names()[static_cast<std::size_t>(c)]; }
std::string_view to_string(SizingMethod s) { return sizing_method_names()[static_cast<std::size_t>(s)]; }

std::optional<Precision> parse_precision(std::string_view t) { return parse_in<Precision>(precision_names(), t); }
std::optional<ComputeKind> parse_compute_kind(std::string_view t) { return parse_in<ComputeKind>(compute_kind_names(), t); }
std::optional<Cloud> parse_cloud(std::string_view t) { return parse_in<Cloud>(cloud_names(), t); }
std::optional<SizingMethod> parse_sizing_method(std::string_view t) {
  return parse_in<SizingMethod>(sizing_method_names(), t);
}

double bytes_per_value(Precision p) {
  switch (p) {
    case Precision::fp32: case Precision::tf32: return 4;
    case Precision::fp16: case Precision::bf16: return 2;
    case Precision::fp8: case Precision::int8: return 1;
    case Precision::int4: return 0.5;
  }
  return 4;
}

}  // namespace aiadvise::catalog
