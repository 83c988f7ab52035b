#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/file_io.hpp"
#include "support/helpers.hpp"

namespace fs = std::filesystem;
using namespace aiadvise::util;

namespace {

using aiadvise::test::ScratchDir;

std::string error_of(const std::string& path, std::size_t max, InputKind kind) {
  try {
    read_input(path, max, kind);
  } catch (const InputError& e) {
    return e.diagnostics().at(0).file + ": " + e.diagnostics().at(0).message;
  }
  return "";
}

}  // namespace

TEST_CASE("read: what must be a regular file is never opened otherwise", "[util][read]") {
  ScratchDir dir("read");
  // A FIFO with no writer would block an open(2) for reading forever: refused before it.
  const std::string fifo = dir.file("catalog.json");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(error_of(fifo, 1 << 20, InputKind::regular) == fifo + ": cannot read: is a FIFO, expected a regular file");
  CHECK(error_of("/dev/null", 1 << 20, InputKind::regular) == "/dev/null: cannot read: is a character device, expected a regular file");
  CHECK(error_of(dir.path.string(), 1 << 20, InputKind::any) == dir.path.string() + ": cannot read: is a directory, expected a file");
  // A loop of links is an error of its own, not a missing file.
  fs::create_symlink(dir.file("b"), dir.file("a"));
  fs::create_symlink(dir.file("a"), dir.file("b"));
  CHECK(error_of(dir.file("a"), 1 << 20, InputKind::any) == dir.file("a") + ": cannot read: a loop of symbolic links");
  CHECK(error_of(dir.file("none"), 1 << 20, InputKind::any) == dir.file("none") + ": cannot read: no such file");
  // A device named on purpose is read.
  CHECK(read_input("/dev/null", 1 << 20, InputKind::any).empty());
}

TEST_CASE("read: the run's byte budget counts every file once", "[util][read]") {
  ScratchDir dir("read");
  std::ofstream(dir.file("a.json")) << std::string(600, ' ');
  std::ofstream(dir.file("b.json")) << std::string(600, ' ');
  {
    InputBudget budget(1000);
    CHECK(read_input(dir.file("a.json"), 1000).size() == 600);
    CHECK(read_input(dir.file("a.json"), 1000).size() == 600);  // the same file again: not charged twice
    CHECK(budget.bytes_left() == 400);
    const std::string e = error_of(dir.file("b.json"), 1000, InputKind::any);
    CHECK(e == dir.file("b.json") +
                   ": the inputs of this run are larger than the cap of 1000 bytes in all (raise it with --max-input-bytes)");
  }
  CHECK(InputBudget::current() == nullptr);  // the budget ends with its scope
  CHECK(read_input(dir.file("b.json"), 1000).size() == 600);
}
