// Catalog loader and validator: good catalogs load; each kind of bad catalog is rejected with
// the right message at the right file, line, column and JSON pointer.

#include <catch2/catch.hpp>

#include "aiadvise/catalog/loader.hpp"
#include "aiadvise/util/file_io.hpp"
#include "aiadvise/util/json_document.hpp"
#include "support/helpers.hpp"

using aiadvise::catalog::SourceText;
using aiadvise::test::describe;
using aiadvise::test::load_errors;
using aiadvise::test::minimal_catalog;
using aiadvise::test::replace_once;

namespace {

struct BadCase {
  const char* name;
  std::string text;
  std::string pointer;   // expected JSON pointer of the first diagnostic
  std::string message;   // expected substring of its message
  std::string at;        // a substring of `text` where the diagnostic must point; "" to skip
};

std::vector<BadCase> bad_cases() {
  const std::string base = minimal_catalog();
  return {
      {"malformed JSON (trailing comma)", replace_once(base, R"("source": "test", "as_of": "2026-01-01"}
  ],
  "models")", R"("source": "test", "as_of": "2026-01-01"},
  ],
  "models")"),
       "", "invalid JSON", "]"},
      {"empty file", "", "", "empty input", ""},
      {"empty object", "{}", "", "a catalog file needs at least one section", "{}"},
      {"whitespace only", "  \n\t ", "", "empty input", ""},
      {"top level is an array", "[1, 2]", "", "expected an object of catalog sections", "[1, 2]"},
      {"unknown section", replace_once(base, R"("services": [)", R"("service": [)"), "/service",
       "unknown catalog section 'service' (did you mean 'services'?)", R"([
    {"id": "ec2")"},
      {"section is not an array", R"({"models": {"id": "x"}})", "/models", "expected an array of entries",
       R"({"id": "x"})"},
      {"entry is not an object", R"({"models": [42]})", "/models/0", "expected an object, got 42", "42"},
      {"missing id", replace_once(base, R"("id": "tiny-llm", )", ""), "/models/0", "missing required field 'id'",
       R"({"name": "Tiny LLM")"},
      {"id not kebab-case", replace_once(base, R"("id": "tiny-llm")", R"("id": "Tiny_LLM")"), "/models/0/id",
       "expected a kebab-case id", R"("Tiny_LLM")"},
      {"duplicate id in one file", replace_once(base, R"("id": "gcp-gpu-1")", R"("id": "aws-gpu-1")"),
       "/instances/1/id", "duplicate id 'aws-gpu-1' in instances (first defined at line 19, column 5)", R"("aws-gpu-1", "cloud": "gcp")"},
      {"duplicate JSON key", replace_once(base, R"("vcpus": 8, "memory_gib": 32, "cpu")",
                                         R"("vcpus": 8, "vcpus": 9, "memory_gib": 32, "cpu")"),
       "/instances/0/vcpus", "duplicate key (first defined at line 19, column 67)", "9, \"memory_gib\": 32, \"cpu\""},
      {"price as a string", replace_once(base, R"("price_usd_per_hour": 1.0)", R"("price_usd_per_hour": "1,20")"),
       "/instances/0/price_usd_per_hour", R"(expected a number from 1e-06 to 1000000, got "1,20")", R"("1,20")"},
      {"negative price", replace_once(base, R"("price_usd_per_hour": 1.0)", R"("price_usd_per_hour": -1.0)"),
       "/instances/0/price_usd_per_hour", "expected a number from 1e-06 to 1000000, got -1.0", "-1.0"},
      {"zero vCPUs", replace_once(base, R"("vcpus": 8, "memory_gib": 32, "cpu")", R"("vcpus": 0, "memory_gib": 32, "cpu")"),
       "/instances/0/vcpus", "expected a number from 0.01 to 100000, got 0", "0, \"memory_gib\": 32, \"cpu\""},
      {"implausibly large number", replace_once(base, R"("price_usd_per_hour": 1.0)", R"("price_usd_per_hour": 1e300)"),
       "/instances/0/price_usd_per_hour", "expected a number from 1e-06 to 1000000, got 1e+300", "1e300"},
      {"number overflow", replace_once(base, R"("price_usd_per_hour": 1.0)", R"("price_usd_per_hour": 1e400)"), "",
       "number overflow", "1e400"},
      {"NaN literal", replace_once(base, R"("price_usd_per_hour": 1.0)", R"("price_usd_per_hour": NaN)"), "",
       "invalid JSON", "NaN"},
      {"Infinity literal", replace_once(base, R"("price_usd_per_hour": 1.0)", R"("price_usd_per_hour": Infinity)"), "",
       "invalid JSON", "Infinity"},
      {"unknown field with a typo", replace_once(base, R"("vcpus": 8, "memory_gib": 32, "cpu")",
                                                 R"("vcpus": 8, "memory_gb": 32, "memory_gib": 32, "cpu")"),
       "/instances/0/memory_gb", "unknown field 'memory_gb' (did you mean 'memory_gib'?)", "32, \"memory_gib\""},
      {"unknown enum value", replace_once(base, R"("cloud": "aws")", R"("cloud": "aws2")"), "/instances/0/cloud",
       "unknown value \"aws2\" (did you mean 'aws'?)", R"("aws2")"},
      {"unknown accelerator reference", replace_once(base, R"("accelerator": "test-gpu", "accelerator_count": 1, "region": "us-east-1")",
                                                     R"("accelerator": "test-gpx", "accelerator_count": 1, "region": "us-east-1")"),
       "/instances/0/accelerator", "unknown hardware 'test-gpx' (did you mean 'test-gpu'?)", R"("test-gpx")"},
      {"CPU named as accelerator", replace_once(base, R"("accelerator": "test-gpu", "accelerator_count": 1, "region": "us-east-1")",
                                                R"("accelerator": "test-cpu", "accelerator_count": 1, "region": "us-east-1")"),
       "/instances/0/accelerator", "'test-cpu' is a CPU, not an accelerator", R"("test-cpu", "accelerator_count")"},
      {"model with unknown family", replace_once(base, R"("family": "llm-decoder")", R"("family": "llm-decoderr")"),
       "/models/0/family", "unknown family 'llm-decoderr' (did you mean 'llm-decoder'?)", R"("llm-decoderr")"},
      {"hardware that trains an unknown family",
       replace_once(base, R"("tflops": {"fp16": 100, "bf16": 100}, "source": "test")",
                    R"("tflops": {"fp16": 100, "bf16": 100}, "training_families": ["llm-decoderr"], "source": "test")"),
       "/hardware/0/training_families/0", "unknown family 'llm-decoderr' (did you mean 'llm-decoder'?)", R"("llm-decoderr")"},
      {"impossible date", replace_once(base, R"("name": "Test GPU", "kind": "gpu", "memory_gib": 24, "memory_bandwidth_gb_per_s": 600,
     "tflops": {"fp16": 100, "bf16": 100}, "source": "test", "as_of": "2026-01-01")",
                                       R"("name": "Test GPU", "kind": "gpu", "memory_gib": 24, "memory_bandwidth_gb_per_s": 600,
     "tflops": {"fp16": 100, "bf16": 100}, "source": "test", "as_of": "2026-13-01")"),
       "/hardware/0/as_of", "expected a calendar date as YYYY-MM-DD", R"("2026-13-01")"},
      {"fractional accelerator count", replace_once(base, R"("accelerator_count": 1, "region": "us-east-1")",
                                                    R"("accelerator_count": 1.5, "region": "us-east-1")"),
       "/instances/0/accelerator_count", "expected a whole number from 0 to 1024, got 1.5", "1.5"},
      {"price parts that do not add up", replace_once(base, R"("price_usd_per_hour": 1.5)", R"("price_usd_per_hour": 1.6)"),
       "/instances/1/price_usd_per_hour", "is not the sum of price_parts", "1.6"},
      {"NUL byte", base.substr(0, 10) + std::string(1, '\0') + base.substr(10), "", "NUL byte", ""},
      {"invalid UTF-8 in a string", replace_once(base, R"("name": "Tiny LLM")", "\"name\": \"Tiny \xff LLM\""), "",
       "invalid JSON", ""},
      {"accelerator named with zero count", replace_once(base, R"("accelerator_count": 1, "region": "us-east-1")",
                                                         R"("accelerator_count": 0, "region": "us-east-1")"),
       "/instances/0/accelerator_count", "accelerator_count is 0 or missing", "0, \"region\": \"us-east-1\""},
      {"unknown precision key", replace_once(base, R"("tflops": {"fp16": 100, "bf16": 100})",
                                             R"("tflops": {"fp16": 100, "bf32": 100})"),
       "/hardware/0/tflops/bf32", "unknown field 'bf32' (did you mean 'tf32'?)", "100}, \"source\": \"test\", \"as_of\": \"2026-01-01\"},\n    {\"id\": \"test-cpu\""},
      {"MoE active parameters above total", replace_once(base, R"("params": 1e9,)", R"("params": 1e9, "active_params": 2e9,)"),
       "/models/0/active_params", "active_params (2B) exceeds params (1B)", "2e9"},
      {"wrong type for a list", replace_once(base, R"("phases": ["training", "inference"])", R"("phases": "training")"),
       "/services/0/phases", "expected an array of strings, got \"training\"", R"("training", "accelerators")"},
      {"service pricing model unknown", replace_once(base, R"("pricing": {"model": "vm"})", R"("pricing": {"model": "hourly"})"),
       "/services/0/pricing/model", "unknown value \"hourly\"", R"("hourly")"},
  };
}

}  // namespace

TEST_CASE("catalog: a minimal catalog loads", "[catalog]") {
  const auto errors = load_errors(minimal_catalog());
  INFO(describe(errors));
  CHECK(errors.empty());
  const auto c = aiadvise::catalog::load_catalog_texts({SourceText{"test.json", minimal_catalog()}});
  CHECK(c.instances.size() == 2);
  REQUIRE(c.instance("gpu.1") != nullptr);
  CHECK(c.instance("gpu.1")->id == "aws-gpu-1");
  CHECK(c.instance("gcp-gpu-1")->price_vm_usd_per_hour == Approx(0.5));
}

TEST_CASE("catalog: each kind of bad catalog is reported at its place", "[catalog][validation]") {
  const auto cases = bad_cases();
  REQUIRE(cases.size() >= 25);
  for (const auto& c : cases) {
    SECTION(c.name) {
      const auto errors = load_errors(c.text);
      INFO("case: " << c.name << "\n" << describe(errors));
      REQUIRE_FALSE(errors.empty());
      const auto& first = errors.front();
      CHECK(first.file == "test.json");
      CHECK(first.message.find(c.message) != std::string::npos);
      CHECK(first.pointer == c.pointer);
      if (!c.at.empty()) {
        const auto offset = c.text.find(c.at);
        REQUIRE(offset != std::string::npos);
        const auto expected = aiadvise::util::position_of_offset(c.text, offset);
        CHECK(first.line == expected.line);
        CHECK(first.column == expected.column);
      } else {
        CHECK(first.line >= 1);
      }
    }
  }
}

TEST_CASE("catalog: every missing required field is listed in one run", "[catalog][validation]") {
  const std::string text = replace_once(minimal_catalog(), R"({"id": "aws-gpu-1", "cloud": "aws", "name": "gpu.1", "vcpus": 8,)",
                                        R"({"id": "aws-gpu-1",)");
  const auto errors = load_errors(text);
  INFO(describe(errors));
  std::vector<std::string> missing;
  for (const auto& e : errors) {
    if (e.message.rfind("missing required field", 0) == 0) missing.push_back(e.message);
  }
  CHECK(missing == std::vector<std::string>{"missing required field 'cloud'", "missing required field 'name'",
                                            "missing required field 'vcpus'"});
  for (const auto& e : errors) CHECK(e.pointer == "/instances/0");
}

TEST_CASE("catalog: problems in several files are all reported, in file order", "[catalog][validation]") {
  const std::string bad_user = R"({"instances": [{"id": "aws-gpu-1", "price_usd_per_hour": "cheap"}],
  "models": [{"id": "tiny-llm", "params": -5}]})";
  const auto errors = load_errors({SourceText{"base.json", replace_once(minimal_catalog(), R"("vcpus": 8, "memory_gib": 32, "cpu")",
                                                                        R"("vcpus": -8, "memory_gib": 32, "cpu")")},
                                   SourceText{"user.json", bad_user}});
  INFO(describe(errors));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].file == "base.json");
  CHECK(errors[0].pointer == "/instances/0/vcpus");
  CHECK(errors[1].file == "user.json");
  CHECK(errors[1].line == 1);
  CHECK(errors[2].file == "user.json");
  CHECK(errors[2].line == 2);
}

TEST_CASE("catalog: a user catalog overrides fields by id and records their origin", "[catalog][override]") {
  const std::string user = R"({"instances": [
    {"id": "aws-gpu-1", "price_usd_per_hour": 0.75, "price_source": "negotiated", "price_as_of": "2026-06-01"},
    {"id": "aws-gpu-2", "cloud": "aws", "name": "gpu.2", "vcpus": 16, "memory_gib": 64, "accelerator": "test-gpu",
     "accelerator_count": 2, "region": "us-east-1", "price_usd_per_hour": 2.0, "source": "mine", "as_of": "2026-06-01"}]})";
  const auto c = aiadvise::catalog::load_catalog_texts({SourceText{"base.json", minimal_catalog()}, SourceText{"user.json", user}});
  REQUIRE(c.instance("aws-gpu-1"));
  CHECK(*c.instance("aws-gpu-1")->price_usd_per_hour == Approx(0.75));
  CHECK(c.instance("aws-gpu-1")->price_provenance.source == "negotiated");
  CHECK(c.instance("aws-gpu-1")->vcpus == 8);  // untouched fields stay
  CHECK(c.instance("gpu.2") != nullptr);
  const auto& origin = c.origins.at("instances").at("aws-gpu-1");
  CHECK(origin.file == "base.json");
  CHECK(origin.fields.at("price_usd_per_hour") == "user.json");
  CHECK(origin.fields.at("vcpus") == "base.json");
}

TEST_CASE("catalog: a bad override is reported in the user's file", "[catalog][override]") {
  const std::string user = "{\"instances\": [\n  {\"id\": \"aws-gpu-1\", \"price_usd_per_hour\": 0}\n]}";
  const auto errors = load_errors({SourceText{"base.json", minimal_catalog()}, SourceText{"user.json", user}});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file == "user.json");
  CHECK(errors[0].line == 2);
  CHECK(errors[0].pointer == "/instances/0/price_usd_per_hour");
}

TEST_CASE("catalog: nesting is capped while parsing; the cap itself is accepted", "[catalog][limits]") {
  aiadvise::util::JsonLimits limits;
  limits.max_depth = 8;
  auto nested = [](std::size_t depth) {
    std::string inner = "1";
    for (std::size_t i = 1; i < depth; ++i) inner = "[" + inner + "]";
    return "{\"catalog\": {\"version\": \"x\", \"as_of\": \"2026-01-01\", \"notes\": " + inner + "}}";
  };
  // Depth counts the outer object and the catalog object: 2 + (depth - 1) arrays.
  const auto at_cap = load_errors({SourceText{"t.json", nested(7)}}, limits);
  const bool only_type_errors = std::all_of(at_cap.begin(), at_cap.end(), [](const auto& d) {
    return d.message.find("nesting") == std::string::npos;
  });
  CHECK(only_type_errors);
  const auto over = load_errors({SourceText{"t.json", nested(8)}}, limits);
  REQUIRE(over.size() == 1);
  CHECK(over[0].message.find("nesting deeper than the cap of 8") != std::string::npos);
}

TEST_CASE("catalog: oversized input is rejected before parsing", "[catalog][limits]") {
  aiadvise::util::JsonLimits limits;
  limits.max_bytes = 100;
  const auto errors = load_errors({SourceText{"big.json", minimal_catalog()}}, limits);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("larger than the cap of 100 bytes") != std::string::npos);
}

namespace {

// A document of `n` numbers: 2 + n JSON values.
std::string numbers_document(std::size_t n) {
  std::string text = "{\"x\": [";
  for (std::size_t k = 0; k < n; ++k) text += k ? ",1" : "1";
  return text + "]}";
}

// The diagnostics of loading `sources` (whatever the sections say), or none.
std::vector<aiadvise::util::Diagnostic> load_diagnostics(const std::vector<aiadvise::catalog::SourceText>& sources) {
  try {
    aiadvise::catalog::load_catalog_texts(sources);
  } catch (const aiadvise::util::InputError& e) {
    return e.diagnostics();
  }
  return {};
}

bool names_budget(const std::vector<aiadvise::util::Diagnostic>& diagnostics, const std::string& file) {
  for (const auto& d : diagnostics) {
    if (d.file == file && d.message.find("more JSON values than this run may hold") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("loader: large documents parsed at once share the run's input budget as if read one after the other",
          "[catalog][budget]") {
  // Over 1 MiB in all, so the documents are parsed on threads (loader.cpp parse_all).
  const std::size_t n = 400000;
  const std::vector<aiadvise::catalog::SourceText> sources{{"a.json", numbers_document(n), false},
                                                            {"b.json", numbers_document(n), false}};
  const std::size_t each = n + 2;
  {
    aiadvise::util::InputBudget budget(3 * each, 1);
    const auto diagnostics = load_diagnostics(sources);
    CHECK_FALSE(names_budget(diagnostics, "a.json"));
    CHECK_FALSE(names_budget(diagnostics, "b.json"));
    CHECK(budget.values_left() == each);  // both charged, once
  }
  {
    // The first fits and the second crosses the budget: the second is named, as when read in turn.
    aiadvise::util::InputBudget budget(each + each / 2, 1);
    const auto diagnostics = load_diagnostics(sources);
    CHECK_FALSE(names_budget(diagnostics, "a.json"));
    CHECK(names_budget(diagnostics, "b.json"));
  }
  {
    // Exactly enough for both, though one thread's share (in proportion to bytes) is about half.
    aiadvise::util::InputBudget budget(2 * each, 1);
    const auto diagnostics = load_diagnostics(sources);
    CHECK_FALSE(names_budget(diagnostics, "a.json"));
    CHECK_FALSE(names_budget(diagnostics, "b.json"));
    CHECK(budget.values_left() == 0);
  }
}
