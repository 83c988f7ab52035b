// Precisions per accelerator: the loader reads and checks `precisions`, every accelerator of the
// default catalog lists them with a source, and a precision a chip lacks maps to the nearest wider
// one it has, never a narrower one.

#include <catch2/catch.hpp>

#include <algorithm>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/catalog/loader.hpp"
#include "support/helpers.hpp"

using aiadvise::catalog::Hardware;
using aiadvise::catalog::Precision;
using aiadvise::catalog::SourceText;
using aiadvise::test::describe;
using aiadvise::test::load_errors;
using aiadvise::test::minimal_catalog;
using aiadvise::test::replace_once;

namespace {

const std::string k_tflops = R"("tflops": {"fp16": 100, "bf16": 100})";

Hardware chip(std::vector<Precision> precisions, std::map<Precision, double> tflops = {}) {
  Hardware h;
  h.id = "test";
  h.precisions = std::move(precisions);
  h.tflops = std::move(tflops);
  return h;
}

bool has(const std::vector<Precision>& v, Precision p) { return std::find(v.begin(), v.end(), p) != v.end(); }

}  // namespace

TEST_CASE("catalog: precisions are read with their source", "[catalog][precision]") {
  const std::string text = replace_once(minimal_catalog(), k_tflops,
                                        k_tflops + R"(, "precisions": {"supported": ["fp32", "fp16", "bf16", "int8"], "notes": "n",
                                                   "source": "https://example.com/datasheet", "as_of": "2026-12-05"})");
  const auto errors = load_errors(text);
  INFO(describe(errors));
  REQUIRE(errors.empty());
  const auto c = aiadvise::catalog::load_catalog_texts({SourceText{"test.json", text}});
  const Hardware* h = c.hardware_by_id("test-gpu");
  REQUIRE(h != nullptr);
  CHECK(h->precisions == std::vector<Precision>{Precision::fp32, Precision::fp16, Precision::bf16, Precision::int8});
  CHECK(h->precisions_provenance.source == "https://example.com/datasheet");
  CHECK(h->precisions_provenance.as_of == "2026-12-05");
}

TEST_CASE("catalog: a tflops peak for a precision the chip does not list is rejected", "[catalog][precision][validation]") {
  // The defect this list exists for: an fp8 peak on a chip without FP8 units (TPU v5p had one).
  const std::string text = replace_once(minimal_catalog(), k_tflops,
                                        R"("tflops": {"fp16": 100, "bf16": 100, "fp8": 100}, "precisions": {"supported": ["fp16", "bf16"],
                                           "source": "s", "as_of": "2026-12-05"})");
  const auto errors = load_errors(text);
  INFO(describe(errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors.front().pointer == "/hardware/0/tflops");
  CHECK(errors.front().message == "tflops gives a fp8 peak (100) but precisions.supported does not list fp8");
}

TEST_CASE("catalog: precisions need a source, a date and at least one known precision", "[catalog][precision][validation]") {
  SECTION("no source") {
    const auto errors = load_errors(replace_once(minimal_catalog(), k_tflops, k_tflops + R"(, "precisions": {"supported": ["fp16", "bf16"], "as_of": "2026-12-05"})"));
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front().message == "missing required field 'source'");
    CHECK(errors.front().pointer == "/hardware/0/precisions");
  }
  SECTION("unknown precision") {
    const auto errors = load_errors(replace_once(minimal_catalog(), k_tflops,
                                                 k_tflops + R"(, "precisions": {"supported": ["fp16", "bf16", "fp9"], "source": "s", "as_of": "2026-12-05"})"));
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front().message.find("fp9") != std::string::npos);
  }
  SECTION("empty list") {
    const auto errors = load_errors(replace_once(minimal_catalog(), k_tflops,
                                                 R"("precisions": {"supported": [], "source": "s", "as_of": "2026-12-05"})"));
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front().message.find("lists no precision") != std::string::npos);
  }
}

TEST_CASE("catalog: without a precisions list the tflops keys stand for it", "[catalog][precision]") {
  const Hardware h = chip({}, {{Precision::bf16, 100}, {Precision::fp8, 200}});
  CHECK(aiadvise::catalog::supported_precisions(h) == std::vector<Precision>{Precision::bf16, Precision::fp8});
  CHECK(aiadvise::catalog::precision_on(h, Precision::fp8) == Precision::fp8);
}

TEST_CASE("catalog: a precision the chip lacks maps to the nearest of as many bytes or more", "[catalog][precision]") {
  using aiadvise::catalog::precision_on;
  const Hardware a100 = chip({Precision::fp32, Precision::tf32, Precision::fp16, Precision::bf16, Precision::int8, Precision::int4});
  const Hardware t4 = chip({Precision::fp32, Precision::fp16, Precision::int8, Precision::int4});
  const Hardware v100 = chip({Precision::fp32, Precision::fp16});
  const Hardware tpu = chip({Precision::fp32, Precision::bf16, Precision::int8});
  const Hardware inf1 = chip({Precision::fp16, Precision::bf16, Precision::int8});
  const Hardware h100 = chip({Precision::fp32, Precision::tf32, Precision::fp16, Precision::bf16, Precision::fp8, Precision::int8});
  CHECK(precision_on(a100, Precision::fp8) == Precision::bf16);
  CHECK(precision_on(tpu, Precision::fp8) == Precision::bf16);
  CHECK(precision_on(tpu, Precision::fp16) == Precision::bf16);
  CHECK(precision_on(t4, Precision::bf16) == Precision::fp16);
  CHECK(precision_on(t4, Precision::fp8) == Precision::fp16);
  CHECK(precision_on(v100, Precision::int8) == Precision::fp16);
  CHECK(precision_on(v100, Precision::tf32) == Precision::fp32);
  CHECK(precision_on(h100, Precision::fp8) == Precision::fp8);
  CHECK(precision_on(h100, Precision::bf16) == Precision::bf16);
  // int4 is weight-only: it runs wherever the arithmetic has 16-bit units.
  CHECK(precision_on(v100, Precision::int4) == Precision::int4);
  CHECK(precision_on(tpu, Precision::int4) == Precision::int4);
  // Never narrower: fp32 on a chip with only 16-bit and 8-bit units is not sized at all.
  CHECK_FALSE(precision_on(inf1, Precision::fp32).has_value());
  CHECK_FALSE(precision_on(chip({Precision::int8}), Precision::bf16).has_value());
}

TEST_CASE("catalog: every accelerator of the default catalog states its precisions with a source", "[catalog][precision]") {
  const auto& c = aiadvise::test::default_catalog();
  int accelerators = 0;
  for (const auto& h : c.hardware) {
    if (h.kind == aiadvise::catalog::ComputeKind::cpu) continue;
    ++accelerators;
    INFO(h.id);
    CHECK_FALSE(h.precisions.empty());
    CHECK(h.precisions_provenance.source.find("http") != std::string::npos);
    CHECK(h.precisions_provenance.as_of.size() == 10);
    for (const auto& [p, peak] : h.tflops) CHECK(has(h.precisions, p));
  }
  CHECK(accelerators >= 22);
}

TEST_CASE("catalog: chips without FP8 units list no fp8 and carry no fp8 peak", "[catalog][precision]") {
  const auto& c = aiadvise::test::default_catalog();
  for (const char* id : {"google-tpu-v4", "google-tpu-v5e", "google-tpu-v5p", "google-tpu-v6e", "nvidia-a100-40gb", "nvidia-a100-80gb",
                         "nvidia-a10", "nvidia-a10g", "nvidia-t4", "nvidia-v100-16gb", "nvidia-v100-32gb", "aws-inferentia"}) {
    INFO(id);
    const Hardware* h = c.hardware_by_id(id);
    REQUIRE(h != nullptr);
    CHECK_FALSE(has(h->precisions, Precision::fp8));
    CHECK(h->tflops.count(Precision::fp8) == 0);
  }
  for (const char* id : {"nvidia-t4", "nvidia-v100-16gb", "nvidia-v100-32gb"}) {
    INFO(id);
    CHECK_FALSE(has(c.hardware_by_id(id)->precisions, Precision::bf16));
  }
  for (const char* id : {"nvidia-h100-sxm", "nvidia-h200", "nvidia-l4", "nvidia-l40s", "nvidia-b200", "amd-mi300x", "aws-trainium2"}) {
    INFO(id);
    CHECK(has(c.hardware_by_id(id)->precisions, Precision::fp8));
    CHECK(c.hardware_by_id(id)->tflops.count(Precision::fp8) == 1);
  }
}
