// libFuzzer entry point for one target; AIADVISE_FUZZ_TARGET names it (see tests/fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>

#include "support/fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return aiadvise::fuzz::AIADVISE_FUZZ_TARGET(data, size);
}
