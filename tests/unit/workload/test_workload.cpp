// Normalising a workload: defaults named in `assumed`, flags over file fields, every
// contradiction rejected with the field named, and the normalised form a fixed point (feeding
// to_json back gives the same workload and the same sizing).

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aiadvise/report/json.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/workload/workload.hpp"
#include "support/helpers.hpp"

using aiadvise::test::default_catalog;
using aiadvise::util::Diagnostic;
using aiadvise::util::InputError;
using aiadvise::workload::FlagValues;
using aiadvise::workload::Workload;
using nlohmann::json;

namespace {

aiadvise::util::JsonDocument parse(const std::string& text) {
  std::vector<Diagnostic> diagnostics;
  auto doc = aiadvise::util::JsonDocument::parse("workload.json", text, {}, diagnostics);
  INFO(aiadvise::test::describe(diagnostics));
  REQUIRE(doc.ok());
  return doc;
}

Workload make(const json& workload, const FlagValues& flags = {}) {
  const auto doc = parse(workload.dump());
  return aiadvise::workload::normalise(&doc, flags, default_catalog());
}

/// The diagnostics normalise reports for a workload that must be rejected.
std::vector<Diagnostic> rejected(const json& workload, const FlagValues& flags = {}) {
  const auto doc = parse(workload.dump());
  try {
    aiadvise::workload::normalise(&doc, flags, default_catalog());
  } catch (const InputError& e) {
    return e.diagnostics();
  }
  FAIL("accepted: " << workload.dump());
  return {};
}

/// True when one diagnostic is at `pointer` (e.g. "/qps" or "--qps") and says `words`.
bool reports(const std::vector<Diagnostic>& diagnostics, const std::string& pointer, const std::string& words) {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
    return d.pointer == pointer && d.message.find(words) != std::string::npos;
  });
}

bool assumed_starts(const Workload& w, const std::string& prefix) {
  return std::any_of(w.assumed.begin(), w.assumed.end(), [&](const std::string& a) { return a.rfind(prefix, 0) == 0; });
}

}  // namespace

TEST_CASE("workload: every default applied is listed in assumed", "[workload]") {
  const Workload w = make({{"model", "llama-2-7b"}});
  INFO(json(w.assumed).dump(2));
  CHECK(w.phase == aiadvise::workload::Phase::inference);
  CHECK(assumed_starts(w, "phase: inference"));
  CHECK(w.mode == aiadvise::workload::Mode::realtime);
  CHECK(assumed_starts(w, "mode: realtime"));
  CHECK(*w.input_tokens == 512);
  CHECK(assumed_starts(w, "input_tokens: 512"));
  CHECK(*w.output_tokens == 256);
  CHECK(assumed_starts(w, "output_tokens: 256"));
  CHECK(*w.qps == 1);
  CHECK(assumed_starts(w, "qps: 1"));
  CHECK(w.precision == aiadvise::catalog::Precision::fp16);
  CHECK(assumed_starts(w, "precision: fp16 (the published weights)"));
  CHECK(w.clouds.size() == 3);
  CHECK(assumed_starts(w, "cloud: aws, gcp, azure"));
  CHECK(w.framework == "pytorch");
  CHECK(assumed_starts(w, "framework: pytorch"));
  CHECK(assumed_starts(w, "ops_maturity: medium"));
  CHECK(assumed_starts(w, "traffic: steady"));
  // The model's own parameter count is a fact, not an assumption.
  CHECK(*w.params == 6.74e9);
  CHECK_FALSE(assumed_starts(w, "params:"));
  // Given fields are not assumed.
  const Workload given = make({{"model", "llama-2-7b"}, {"phase", "inference"}, {"mode", "realtime"}, {"qps", 3},
                               {"input_tokens", 100}, {"output_tokens", 10}, {"precision", "bf16"}});
  CHECK_FALSE(assumed_starts(given, "phase:"));
  CHECK_FALSE(assumed_starts(given, "qps:"));
  CHECK_FALSE(assumed_starts(given, "input_tokens:"));
  CHECK_FALSE(assumed_starts(given, "precision:"));
}

TEST_CASE("workload: a family alone takes its typical size, and says so", "[workload]") {
  const Workload w = make({{"family", "llm-decoder"}});
  CHECK(*w.params == 8.03e9);
  CHECK(assumed_starts(w, "params: 8.03B (typical for llm-decoder)"));
  // Training defaults: the Chinchilla token count, one epoch, bf16 mixed precision.
  const Workload t = make({{"family", "llm-decoder"}, {"phase", "training"}});
  CHECK(*t.dataset_tokens == Approx(20 * 8.03e9));
  CHECK(assumed_starts(t, "dataset_tokens: 161B (20 tokens per parameter"));
  CHECK(*t.epochs == 1);
  CHECK(t.precision == aiadvise::catalog::Precision::bf16);
  CHECK(assumed_starts(t, "precision: bf16 (mixed-precision training)"));
  CHECK(*t.input_tokens == 2048);
  // Classical ML: fp32, 100 features, 100 rounds, the xgboost framework for trees.
  const Workload c = make({{"family", "classical-trees"}, {"phase", "training"}});
  CHECK_FALSE(c.params);
  CHECK(c.precision == aiadvise::catalog::Precision::fp32);
  CHECK(*c.features == 100);
  CHECK(*c.iterations == 100);
  CHECK(c.framework == "xgboost");
  CHECK(assumed_starts(c, "features: 100"));
  CHECK(assumed_starts(c, "iterations: 100"));
  CHECK(assumed_starts(c, "dataset_samples: 1M"));
}

TEST_CASE("workload: flags override the fields of the file", "[workload]") {
  const Workload w = make({{"model", "llama-2-7b"}, {"qps", 2}, {"output_tokens", 100}, {"precision", "fp16"}},
                          {{"qps", "10"}, {"precision", "int8"}, {"cloud", "aws,gcp"}});
  CHECK(*w.qps == 10);
  CHECK(*w.output_tokens == 100);  // not overridden: the file's value stays
  CHECK(w.precision == aiadvise::catalog::Precision::int8);
  REQUIRE(w.clouds.size() == 2);
  CHECK(w.clouds[0] == aiadvise::catalog::Cloud::aws);
  CHECK(w.clouds[1] == aiadvise::catalog::Cloud::gcp);
  // Flags alone, without a file.
  const Workload f = aiadvise::workload::normalise(nullptr, {{"model", "resnet-50"}, {"phase", "training"}, {"spot", ""}},
                                                   default_catalog());
  CHECK(f.phase == aiadvise::workload::Phase::training);
  CHECK(f.spot);
}

TEST_CASE("workload: counts given as flags take the suffixes k, M, B and T", "[workload]") {
  CHECK(*make({{"family", "llm-decoder"}}, {{"params", "7B"}}).params == 7e9);
  CHECK(*make({{"family", "llm-decoder"}}, {{"params", "350M"}}).params == 3.5e8);
  CHECK(*make({{"family", "llm-decoder"}}, {{"params", "1.2T"}}).params == Approx(1.2e12));
  CHECK(*make({{"model", "resnet-50"}, {"phase", "training"}}, {{"dataset_samples", "1.28M"}}).dataset_samples == 1.28e6);
  CHECK(*make({{"model", "xgboost"}, {"phase", "training"}}, {{"dataset_samples", "500k"}}).dataset_samples == 5e5);
  // An explicit size wins over the family's typical one and is not an assumption.
  CHECK_FALSE(assumed_starts(make({{"family", "llm-decoder"}}, {{"params", "7B"}}), "params:"));
  // Text that is no number is rejected with the flag named.
  const auto d = rejected({{"family", "llm-decoder"}}, {{"params", "seven"}});
  CHECK(reports(d, "--params", "expected a number like 350M, 7B or 1.2T, got 'seven'"));
  // A negative flag is reported in the reader's words.
  CHECK(reports(rejected({{"model", "llama-2-7b"}}, {{"qps", "-1"}}), "--qps", "expected a number from 1e-06 to 10000000, got -1"));
}

TEST_CASE("workload: an unknown model is rejected with a did-you-mean", "[workload]") {
  const auto d = rejected({{"model", "llama-2-7"}});
  REQUIRE_FALSE(d.empty());
  CHECK(reports(d, "/model", "unknown model 'llama-2-7'"));
  CHECK(reports(d, "/model", "did you mean 'llama-2-7b'?"));
  // Also through InputError's own message, as the CLI prints it.
  const auto doc = parse(R"({"model": "resnt-50"})");
  CHECK_THROWS_WITH(aiadvise::workload::normalise(&doc, {}, default_catalog()),
                    Catch::Contains("unknown model 'resnt-50'") && Catch::Contains("did you mean 'resnet-50'?"));
  // A spelling without the hyphen, or in another case, is the catalog's model, and the workload says so.
  const auto compact = parse(R"({"model": "ResNet50"})");
  const auto w = aiadvise::workload::normalise(&compact, {}, default_catalog());
  CHECK(w.model == "resnet-50");
  CHECK(std::find(w.assumed.begin(), w.assumed.end(), "model: resnet-50 (the catalog's entry for 'ResNet50')") != w.assumed.end());
  CHECK(reports(rejected({{"family", "cnns"}}), "/family", "did you mean 'cnn'?"));
  CHECK(reports(rejected({{"model", "resnet-50"}, {"family", "llm-decoder"}}), "/family",
                "model 'resnet-50' is of family 'cnn', not 'llm-decoder'"));
  CHECK(reports(rejected(json::object()), "", "give a model (--model) or a family (--family)"));
}

TEST_CASE("workload: a model without a size in the catalog asks for --params and names the model", "[workload]") {
  // Every model of the default catalog has a size (deepar's is derived from GluonTS's defaults).
  CHECK(*make({{"model", "deepar"}}).params == 26363);
  CHECK(*make({{"model", "deepar"}}, {{"params", "50k"}}).params == 5e4);
  // A user catalog's model without one is asked for it, by name.
  aiadvise::catalog::Catalog c = default_catalog();
  for (auto& m : c.models) {
    if (m.id == "deepar") m.params.reset();
  }
  c.index();
  std::vector<Diagnostic> diagnostics;
  const auto doc = aiadvise::util::JsonDocument::parse("workload.json", json({{"model", "deepar"}}).dump(), {}, diagnostics);
  try {
    aiadvise::workload::normalise(&doc, {}, c);
    FAIL("accepted a model without a size");
  } catch (const aiadvise::util::InputError& e) {
    CHECK(reports(e.diagnostics(), "/params", "give --params (the catalog has no parameter count for model 'deepar')"));
  }
  // Classical ML is sized from the data and needs no parameter count.
  CHECK_FALSE(make({{"family", "classical-trees"}}).params);
}

TEST_CASE("workload: LoRA on inference is rejected at method", "[workload]") {
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"method", "lora"}}), "/method",
                "method 'lora' applies to fine-tuning, not to inference"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"phase", "training"}, {"method", "qlora"}}), "/method",
                "not to training"));
  // "full" says nothing that contradicts another phase.
  CHECK(make({{"model", "llama-2-7b"}, {"phase", "training"}, {"method", "full"}}).method == aiadvise::workload::Method::full);
}

TEST_CASE("workload: a mode on training is rejected at mode", "[workload]") {
  CHECK(reports(rejected({{"model", "resnet-50"}, {"phase", "training"}, {"mode", "batch"}}), "/mode",
                "mode applies to inference, not to training"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"phase", "fine-tuning"}, {"mode", "realtime"}}), "/mode",
                "not to fine-tuning"));
}

TEST_CASE("workload: ttft and tpot on a CNN are rejected with the field named", "[workload]") {
  CHECK(reports(rejected({{"model", "resnet-50"}, {"ttft_ms", 100}}), "/ttft_ms",
                "ttft_ms applies to LLM inference (a decoder model), not to inference of family 'cnn'"));
  CHECK(reports(rejected({{"model", "bert-base"}, {"tpot_ms", 20}}), "/tpot_ms", "family 'transformer-encoder'"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"phase", "training"}, {"ttft_ms", 100}}), "/ttft_ms", "not to training"));
  // On LLM inference both are accepted.
  const Workload w = make({{"model", "llama-2-7b"}, {"ttft_ms", 200}, {"tpot_ms", 30}});
  CHECK(*w.ttft_ms == 200);
  CHECK(*w.tpot_ms == 30);
}

TEST_CASE("workload: inference targets on training and training fields on inference are rejected", "[workload]") {
  CHECK(reports(rejected({{"model", "resnet-50"}, {"phase", "training"}, {"qps", 5}}), "/qps",
                "qps applies to inference, not to training"));
  CHECK(reports(rejected({{"model", "resnet-50"}, {"phase", "training"}, {"latency_ms", 5}}), "/latency_ms",
                "latency_ms applies to inference"));
  CHECK(reports(rejected({{"model", "resnet-50"}, {"epochs", 3}}), "/epochs", "applies to training and fine-tuning"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"dataset_tokens", 1e9}}), "/dataset_tokens", "not to inference"));
  CHECK(reports(rejected({{"model", "resnet-50"}, {"deadline_hours", 2}}), "/deadline_hours",
                "not to realtime inference"));
  CHECK(*make({{"model", "resnet-50"}, {"mode", "batch"}, {"deadline_hours", 2}}).deadline_hours == 2);
  CHECK(reports(rejected({{"model", "xgboost"}, {"input_tokens", 10}}), "/input_tokens",
                "token counts do not apply to classical ML"));
  CHECK(reports(rejected({{"model", "mixtral-8x7b"}, {"active_params", 5e10}}), "/active_params",
                "active_params exceeds params"));
}

TEST_CASE("workload: zero and negative numbers are rejected", "[workload]") {
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"qps", 0}}), "/qps", "expected a number from 1e-06 to 10000000, got 0"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"qps", -2.5}}), "/qps", "expected a number from 1e-06 to 10000000, got -2.5"));
  CHECK(reports(rejected({{"family", "llm-decoder"}, {"params", 0}}), "/params", "expected a number from 1 to 1e+15, got 0"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"batch_size", 0}}), "/batch_size", "expected a whole number from 1 to 10000000, got 0"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"output_tokens", -1}}), "/output_tokens", "expected a whole number from 1 to 100000000, got -1"));
  CHECK(reports(rejected({{"model", "resnet-50"}, {"phase", "training"}, {"epochs", 0}}), "/epochs", "expected a number from 1e-06 to 1000000, got 0"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"budget_usd_per_hour", -1}}), "/budget_usd_per_hour",
                "expected a number from 1e-06 to 1000000000, got -1"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"params", 1e19}}), "/params", "expected a number from 1 to 1e+15, got 1e+19"));
}

TEST_CASE("workload: a string where a number is expected is not coerced", "[workload]") {
  const auto d = rejected({{"model", "llama-2-7b"}, {"qps", "12"}});
  CHECK(reports(d, "/qps", R"(expected a number from 1e-06 to 10000000, got "12")"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"batch_size", "4"}}), "/batch_size", R"(got "4")"));
  CHECK(reports(rejected({{"family", "llm-decoder"}, {"params", "7B"}}), "/params", R"(got "7B")"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"spot", "yes"}}), "/spot", "expected true or false"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"cloud", "aws"}}), "/cloud", "expected an array of strings"));
}

TEST_CASE("workload: unknown keys are rejected with a did-you-mean", "[workload]") {
  const auto d = rejected({{"model", "llama-2-7b"}, {"qpss", 3}, {"output_token", 10}});
  CHECK(reports(d, "/qpss", "unknown field 'qpss' (did you mean 'qps'?)"));
  CHECK(reports(d, "/output_token", "did you mean 'output_tokens'?"));
  // Unknown enum values are reported with the choices.
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"precision", "bf61"}}), "/precision", "did you mean 'bf16'?"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"phase", "train"}}), "/phase", "expected one of: training, fine-tuning, inference"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"cloud", {"aws", "ibm"}}}), "/cloud/1", "unknown value"));
}

TEST_CASE("workload: a fractional batch size is rejected", "[workload]") {
  CHECK(reports(rejected({{"model", "llama-2-7b"}, {"batch_size", 2.5}}), "/batch_size",
                "expected a whole number from 1 to 10000000, got 2.5"));
  CHECK(reports(rejected({{"model", "llama-2-7b"}}, {{"batch_size", "2.5"}}), "--batch-size", "expected a whole number from 1 to 10000000, got 2.5"));
  // A whole number written as a float is an integer.
  CHECK(*make({{"model", "llama-2-7b"}, {"batch_size", 8.0}}).batch_size == 8);
}

TEST_CASE("workload: every problem of an input is reported in one run", "[workload]") {
  const auto d = rejected({{"model", "llama-2-7b"}, {"qps", "12"}, {"batch_size", 0}, {"qpss", 1}});
  CHECK(d.size() >= 3);
  CHECK(reports(d, "/qps", "expected a number from 1e-06 to 10000000"));
  CHECK(reports(d, "/batch_size", "expected a whole number from 1 to 10000000"));
  CHECK(reports(d, "/qpss", "unknown field"));
  // Diagnostics from a file carry its name and the line of the value.
  const auto located = rejected(json::parse(R"({"model": "llama-2-7b", "qps": -1})"));
  REQUIRE_FALSE(located.empty());
  CHECK(located.front().file == "workload.json");
  CHECK(located.front().line >= 1);
}

TEST_CASE("workload: full training in int4 or int8 is rejected by the sizing", "[workload]") {
  for (const char* precision : {"int4", "int8"}) {
    const Workload w = make({{"model", "llama-2-7b"}, {"phase", "training"}, {"precision", precision}});
    try {
      aiadvise::sizing::requirements(w, default_catalog());
      FAIL("accepted full training in " << precision);
    } catch (const InputError& e) {
      REQUIRE(e.diagnostics().size() == 1);
      CHECK(e.diagnostics().front().pointer == "precision");
      CHECK(e.diagnostics().front().message.find("--method qlora") != std::string::npos);
    }
  }
  // QLoRA fine-tuning in int4 is the supported way.
  const Workload q = make({{"model", "llama-2-7b"}, {"phase", "fine-tuning"}, {"method", "qlora"}, {"precision", "int4"}});
  CHECK_NOTHROW(aiadvise::sizing::requirements(q, default_catalog()));
}

TEST_CASE("workload: the normalised workload fed back gives the same workload and the same sizing", "[workload]") {
  const std::vector<std::pair<json, FlagValues>> cases{
      {{{"model", "llama-3.1-8b"}, {"qps", 5}, {"ttft_ms", 300}, {"output_tokens", 200}}, {}},
      {{{"model", "llama-2-70b"}, {"phase", "training"}, {"dataset_tokens", 2e12}, {"deadline_hours", 720}}, {}},
      {{{"model", "llama-2-7b"}, {"phase", "fine-tuning"}, {"method", "lora"}, {"dataset_samples", 50000},
        {"gradient_checkpointing", true}},
       {}},
      {{{"model", "mistral-7b"}, {"phase", "fine-tuning"}, {"method", "qlora"}, {"budget_usd", 500}}, {}},
      {{{"model", "resnet-50"}, {"phase", "training"}, {"epochs", 35}, {"batch_size", 256}}, {{"dataset_samples", "1.28M"}}},
      {{{"model", "stable-diffusion-1.5"}, {"mode", "batch"}, {"denoising_steps", 30}, {"deadline_hours", 5}}, {}},
      {{{"model", "xgboost"}, {"phase", "training"}, {"features", 50}, {"iterations", 500}, {"spot", true}},
       {{"dataset_samples", "10M"}}},
      {{{"family", "classical-clustering"}, {"phase", "training"}, {"features", 20}}, {}},
      {{{"model", "bert-base"}, {"mode", "batch"}, {"input_tokens", 128}, {"precision", "int8"}, {"cloud", {"gcp"}},
        {"region", "us-central1"}},
       {}},
      {{{"family", "llm-decoder"}, {"priorities", {"cost", "ease"}}, {"ops_maturity", "low"}, {"traffic", "spiky"},
        {"optimizations", {"quantized"}}},
       {{"params", "13B"}, {"precision", "int4"}}},
      {{{"model", "mixtral-8x7b"}, {"latency_ms", 5000}, {"budget_usd_per_hour", 40}}, {}},
      {{{"family", "transformer-encoder-decoder"}, {"phase", "fine-tuning"}, {"framework", "jax"}}, {}},
  };
  const auto& c = default_catalog();
  for (const auto& [input, flags] : cases) {
    INFO("workload " << input.dump() << " flags " << json(flags).dump());
    const Workload first = make(input, flags);
    const std::string first_json = aiadvise::workload::to_json(first).dump();
    const Workload second = make(json::parse(first_json));
    const std::string second_json = aiadvise::workload::to_json(second).dump();
    CHECK(second_json == first_json);
    CHECK(second.assumed == first.assumed);
    const std::string first_sizing = aiadvise::report::requirements_json(aiadvise::sizing::requirements(first, c)).dump();
    const std::string second_sizing = aiadvise::report::requirements_json(aiadvise::sizing::requirements(second, c)).dump();
    CHECK(second_sizing == first_sizing);
    // Defaults applied in the first pass are explicit in the second: nothing new is assumed.
    CHECK(second.assumed.size() == first.assumed.size());
  }
}

TEST_CASE("workload: a batch job without a deadline gets a 24-hour window, named in assumed", "[workload]") {
  const Workload w = aiadvise::workload::normalise(nullptr, FlagValues{{"model", "bert-base"}, {"mode", "batch"}}, default_catalog());
  REQUIRE(w.deadline_hours);
  CHECK(*w.deadline_hours == 24);
  CHECK(std::any_of(w.assumed.begin(), w.assumed.end(), [](const std::string& a) { return a.rfind("deadline_hours: 24 (", 0) == 0; }));
  // Given, it is kept, and nothing is assumed; real-time serving and training get no window.
  const Workload given =
      aiadvise::workload::normalise(nullptr, FlagValues{{"model", "bert-base"}, {"mode", "batch"}, {"deadline_hours", "72"}}, default_catalog());
  CHECK(*given.deadline_hours == 72);
  CHECK(std::none_of(given.assumed.begin(), given.assumed.end(), [](const std::string& a) { return a.rfind("deadline_hours", 0) == 0; }));
  CHECK_FALSE(aiadvise::workload::normalise(nullptr, FlagValues{{"model", "bert-base"}}, default_catalog()).deadline_hours);
  CHECK_FALSE(aiadvise::workload::normalise(nullptr, FlagValues{{"model", "resnet-50"}, {"phase", "training"}}, default_catalog()).deadline_hours);
}
