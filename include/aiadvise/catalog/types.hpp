#pragma once
/// The small closed vocabularies shared by the catalog, the workload and the engine. Open sets
/// (families, models, hardware, instances, services) are ids in data, not enums.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiadvise::catalog {

enum class Precision { fp32, tf32, fp16, bf16, fp8, int8, int4 };
enum class ComputeKind { cpu, gpu, tpu, inferentia, trainium };
enum class Cloud { aws, gcp, azure };
enum class SizingMethod { transformer_decoder, transformer_encoder, transformer_encoder_decoder, dense, classical };

const std::vector<std::string>& precision_names();
const std::vector<std::string>& compute_kind_names();
const std::vector<std::string>& cloud_names();
const std::vector<std::string>& sizing_method_names();
const std::vector<std::string>& framework_names();
const std::vector<std::string>& phase_names();

std::string_view to_string(Precision p);
std::string_view to_string(ComputeKind k);
std::string_view to_string(Cloud c);
std::string_view to_string(SizingMethod s);

std::optional<Precision> parse_precision(std::string_view text);
std::optional<ComputeKind> parse_compute_kind(std::string_view text);
std::optional<Cloud> parse_cloud(std::string_view text);
std::optional<SizingMethod> parse_sizing_method(std::string_view text);

/// Bytes one value takes at a precision (int4: 0.5).
double bytes_per_value(Precision p);

}  // namespace aiadvise::catalog
