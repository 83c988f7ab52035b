// The fuzz targets, built with g++ as ordinary tests: every corpus input and every minimised past
// crash (tests/fuzz/regressions/<target>/) is replayed through its target.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/fuzz_targets.hpp"

namespace fs = std::filesystem;

TEST_CASE("fuzz: every corpus input and past crash replays cleanly", "[fuzz]") {
  const fs::path root = fs::path(AIADVISE_SOURCE_DIR) / "tests" / "fuzz";
  std::size_t replayed = 0;
  for (const auto& target : aiadvise::fuzz::targets()) {
    for (const char* kind : {"corpus", "regressions"}) {
      const fs::path dir = root / kind / target.name;
      if (!fs::exists(dir)) continue;
      for (const auto& entry : fs::directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().filename().string().front() == '.') continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        const std::string data = bytes.str();
        INFO(target.name << ": " << entry.path());
        CHECK_NOTHROW(target.run(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
        ++replayed;
      }
    }
  }
  CHECK(replayed >= 20);
}
