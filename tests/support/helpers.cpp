#include "support/helpers.hpp"

#include <stdlib.h>

#include <fstream>
#include <stdexcept>

#include <catch2/catch.hpp>

namespace aiadvise::test {

std::string minimal_catalog() {
  return R"({
  "catalog": {"version": "test", "as_of": "2026-01-01"},
  "families": [
    {"id": "llm-decoder", "name": "Decoder LLM", "sizing": "transformer-decoder",
     "training_preference": {"default": "gpu"}, "inference_preference": {"default": "gpu"},
     "source": "test", "as_of": "2026-01-01"}
  ],
  "models": [
    {"id": "tiny-llm", "name": "Tiny LLM", "family": "llm-decoder", "params": 1e9,
     "architecture": {"layers": 16, "hidden_size": 2048, "attention_heads": 16, "kv_heads": 4, "head_dim": 128},
     "source": "test", "as_of": "2026-01-01"}
  ],
  "hardware": [
    {"id": "test-gpu", "name": "Test GPU", "kind": "gpu", "memory_gib": 24, "memory_bandwidth_gb_per_s": 600,
     "tflops": {"fp16": 100, "bf16": 100}, "source": "test", "as_of": "2026-01-01"},
    {"id": "test-cpu", "name": "Test CPU", "kind": "cpu", "clock_ghz": 3.0, "source": "test", "as_of": "2026-01-01"}
  ],
  "instances": [
    {"id": "aws-gpu-1", "cloud": "aws", "name": "gpu.1", "vcpus": 8, "memory_gib": 32, "cpu": "test-cpu",
     "accelerator": "test-gpu", "accelerator_count": 1, "region": "us-east-1", "price_usd_per_hour": 1.0,
     "source": "test", "as_of": "2026-01-01"},
    {"id": "gcp-gpu-1", "cloud": "gcp", "name": "g-gpu-1", "vcpus": 8, "memory_gib": 32,
     "accelerator": "test-gpu", "accelerator_count": 1, "region": "us-central1", "price_usd_per_hour": 1.5,
     "price_parts": {"vm_usd_per_hour": 0.5, "accelerators_usd_per_hour": 1.0},
     "source": "test", "as_of": "2026-01-01"}
  ],
  "services": [
    {"id": "ec2", "name": "EC2", "cloud": "aws", "management": "self-managed", "kind": "vm",
     "phases": ["training", "inference"], "accelerators": ["cpu", "gpu"], "pricing": {"model": "vm"},
     "source": "test", "as_of": "2026-01-01"}
  ]
}
)";
}

std::vector<util::Diagnostic> load_errors(const std::vector<catalog::SourceText>& sources,
                                          const util::JsonLimits& limits) {
  try {
    catalog::load_catalog_texts(sources, limits);
  } catch (const util::InputError& e) {
    return e.diagnostics();
  }
  return {};
}

std::vector<util::Diagnostic> load_errors(const std::string& text) {
  return load_errors({catalog::SourceText{"test.json", text}});
}

std::string describe(const std::vector<util::Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += util::format_diagnostic(d) + "\n";
  return out;
}

const catalog::Catalog& default_catalog() {
  static const catalog::Catalog c = catalog::load_catalog(catalog::LoadOptions{});
  return c;
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("test fixture lacks: " + from);
  return text.replace(at, from.size(), to);
}

ScratchDir::ScratchDir(const std::string& prefix) {
  std::string templ = (std::filesystem::temp_directory_path() / ("aiadvise-" + prefix + "-XXXXXX")).string();
  REQUIRE(::mkdtemp(templ.data()) != nullptr);
  path = templ;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string ScratchDir::file(const std::string& name, const std::optional<std::string>& text) const {
  const std::string p = (path / name).string();
  if (text) std::ofstream(p, std::ios::binary) << *text;
  return p;
}

}  // namespace aiadvise::test
