#include "aiadvise/models/safetensors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <fstream>

#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/json_document.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::models {

namespace {

constexpr std::uint64_t k_max_header_bytes = 100'000'000;  // the safetensors format's own limit

// Bytes per element; 0 for a dtype this reader does not know (counted, not checked).
double bytes_of(const std::string& dtype) {
  static const std::map<std::string, double> sizes{
      {"F64", 8}, {"I64", 8}, {"U64", 8}, {"F32", 4}, {"I32", 4}, {"U32", 4}, {"F16", 2}, {"BF16", 2}, {"I16", 2}, {"U16", 2},
      {"I8", 1},  {"U8", 1},  {"BOOL", 1}, {"F8_E4M3", 1}, {"F8_E5M2", 1}, {"F8_E8M0", 1}};
  auto it = sizes.find(dtype);
  return it == sizes.end() ? 0 : it->second;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Scales stored beside quantised weights are not parameters of the model.
bool is_quantisation_scale(std::string_view name) {
  return ends_with(name, "_scale_inv") || ends_with(name, "_scales") || ends_with(name, ".weight_scale") ||
         ends_with(name, ".input_scale") || ends_with(name, ".scales");
}

long long layer_index(std::string_view name) {
  constexpr std::string_view prefix = "model.layers.";
  if (name.rfind(prefix, 0) != 0) return -1;
  long long n = 0;
  std::size_t i = prefix.size();
  if (i >= name.size() || name[i] < '0' || name[i] > '9') return -1;
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i) n = n * 10 + (name[i] - '0');
  return n;
}

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& message) {
  throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{file.string(), 0, 0, "", message}});
}

}  // namespace

std::string TensorCount::main_dtype() const {
  std::string best;
  double most = -1;
  for (const auto& [dtype, n] : by_dtype) {
    if (n > most) {
      most = n;
      best = dtype;
    }
  }
  return best;
}

void count_safetensors(const std::filesystem::path& file, TensorCount& count, const CountOptions& options) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, "cannot open the safetensors file");
  unsigned char size_bytes[8] = {};
  in.read(reinterpret_cast<char*>(size_bytes), 8);
  if (in.gcount() != 8) fail(file, "not a safetensors file: shorter than its 8-byte header length");
  std::uint64_t header_bytes = 0;
  for (int k = 7; k >= 0; --k) header_bytes = (header_bytes << 8) | size_bytes[k];
  std::error_code ec;
  const auto file_bytes = std::filesystem::file_size(file, ec);
  if (header_bytes == 0 || header_bytes > k_max_header_bytes || (!ec && header_bytes > file_bytes - 8)) {
    fail(file, fmt::format("not a safetensors file: its header length {} is beyond the file ({} bytes) or the format's 100 MB cap",
                           header_bytes, ec ? 0 : file_bytes));
  }
  std::string header(static_cast<std::size_t>(header_bytes), '\0');
  in.read(header.data(), static_cast<std::streamsize>(header_bytes));
  if (static_cast<std::uint64_t>(in.gcount()) != header_bytes) fail(file, "truncated safetensors header");
  while (!header.empty() && header.back() == ' ') header.pop_back();  // the format pads with spaces

  std::vector<util::Diagnostic> diagnostics;
  const auto doc = util::JsonDocument::parse(file.string() + " (header)", std::move(header),
                                             util::JsonLimits{k_max_header_bytes, 16}, diagnostics);
  if (!doc.ok()) throw util::InputError(std::move(diagnostics));
  if (!doc.value().is_object()) fail(file, "the safetensors header is not a JSON object");
  const std::uint64_t data_bytes = ec ? 0 : file_bytes - 8 - header_bytes;
  for (const auto& [name, tensor] : doc.value().items()) {
    if (name == "__metadata__") continue;
    const std::string where = util::escape_for_terminal(name);
    if (!tensor.is_object() || !tensor.contains("dtype") || !tensor["dtype"].is_string() || !tensor.contains("shape") ||
        !tensor["shape"].is_array() || !tensor.contains("data_offsets") || !tensor["data_offsets"].is_array() ||
        tensor["data_offsets"].size() != 2) {
      throw util::InputError(std::vector<util::Diagnostic>{
          doc.diagnostic(util::pointer_append("", name), "expected {\"dtype\", \"shape\", \"data_offsets\": [begin, end]}")});
    }
    const std::string dtype = tensor["dtype"].get<std::string>();
    double elements = 1;
    for (const auto& d : tensor["shape"]) {
      if (!d.is_number_unsigned()) {
        throw util::InputError(std::vector<util::Diagnostic>{
            doc.diagnostic(util::pointer_append(util::pointer_append("", name), "shape"), "expected dimensions that are whole numbers >= 0")});
      }
      elements *= d.get<double>();
    }
    const auto& offsets = tensor["data_offsets"];
    if (!offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned() || offsets[1].get<std::uint64_t>() < offsets[0].get<std::uint64_t>() ||
        (data_bytes > 0 && offsets[1].get<std::uint64_t>() > data_bytes)) {
      throw util::InputError(std::vector<util::Diagnostic>{doc.diagnostic(
          util::pointer_append(util::pointer_append("", name), "data_offsets"),
          fmt::format("expected [begin, end] within the {} bytes of data", data_bytes))});
    }
    const double stored = static_cast<double>(offsets[1].get<std::uint64_t>() - offsets[0].get<std::uint64_t>());
    if (const double b = bytes_of(dtype); b > 0 && stored != elements * b) {
      throw util::InputError(std::vector<util::Diagnostic>{doc.diagnostic(
          util::pointer_append(util::pointer_append("", name), "data_offsets"),
          fmt::format("tensor '{}' of {} {} elements should take {} bytes, its range holds {}", where, util::format_count(elements), dtype,
                      elements * b, stored))});
    }
    if (is_quantisation_scale(name) ||
        (options.first_extra_layer > 0 && layer_index(name) >= options.first_extra_layer)) {
      ++count.skipped_tensors;
      continue;
    }
    if (options.mxfp4_blocks && dtype == "U8" && ends_with(name, "_blocks")) elements *= 2;
    count.params += elements;
    count.by_dtype[dtype] += elements;
    ++count.tensors;
  }
  ++count.files;
}

TensorCount count_safetensors_directory(const std::filesystem::path& directory, const CountOptions& options) {
  TensorCount count;
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.path().extension() == ".safetensors" && entry.is_regular_file(ec)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) count_safetensors(f, count, options);
  if (count.skipped_tensors > 0) {
    count.notes.push_back(fmt::format("{} tensor(s) of quantisation scales or extra prediction layers not counted", count.skipped_tensors));
  }
  return count;
}

}  // namespace aiadvise::models
