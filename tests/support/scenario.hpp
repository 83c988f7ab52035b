// Helpers for end-to-end scenario tests: run `aiadvise recommend --format json` in process and
// read the pick, the rules that fired and the exclusions. Shared by every tests/unit/scoring/
// test_scenarios*.cpp file.
#pragma once

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aiadvise::test::scenario {

using nlohmann::json;

// The report of `COMMAND ARGS --format json`; requires exit code 0.
json run_json(const std::string& command, std::vector<std::string> args);

// The report of `recommend ARGS --format json`; requires exit code 0.
json recommend(std::vector<std::string> args);

// The pick of a feasible report; requires verdict "ok".
const json& pick(const json& r);

// Accelerator memory of an option in GiB across all its instances (0 for CPU options).
double accelerator_memory_gib(const json& option);

// Whether rule `id` fired, and whether it excluded any candidate.
bool fired(const json& r, const std::string& id);
bool excluded_by(const json& r, const std::string& id);

// The compute and deployment reasons of a report, as one string to search.
std::string reasons(const json& r);

}  // namespace aiadvise::test::scenario
