#pragma once
// Fuzz targets: each takes arbitrary bytes and must never crash, hang or throw anything but the
// documented input error. Built as libFuzzer programs by scripts/fuzz.sh (clang), and replayed
// over tests/fuzz/corpus and tests/fuzz/regressions by the ordinary test suite (g++).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace aiadvise::fuzz {

int catalog(const std::uint8_t* data, std::size_t size);
int workload(const std::uint8_t* data, std::size_t size);
int jsonl(const std::uint8_t* data, std::size_t size);
int terraform(const std::uint8_t* data, std::size_t size);
/// Catalog + workload -> report rendered as JSON: it must re-parse, contain no NaN or infinity, and
/// be byte-identical on a second run.
int end_to_end(const std::uint8_t* data, std::size_t size);
/// SkyPilot vms.csv -> catalog import, every region: the result must serialise, and merged over the
/// default catalog it must load (an import writes a catalog the loader accepts, or fails with an
/// input error naming the CSV).
int skypilot(const std::uint8_t* data, std::size_t size);

struct Target {
  const char* name;
  int (*run)(const std::uint8_t*, std::size_t);
};
const std::vector<Target>& targets();

}  // namespace aiadvise::fuzz
