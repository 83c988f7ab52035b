#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "aiadvise/cli/app.hpp"
#include "aiadvise/cli/exit_codes.hpp"
#include "aiadvise/util/atomic_file.hpp"
#include "support/helpers.hpp"

namespace fs = std::filesystem;
using aiadvise::util::unwritable_target;
using aiadvise::util::write_file_atomic;
using aiadvise::util::WriteError;

namespace {

using aiadvise::test::ScratchDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

}  // namespace

TEST_CASE("write: a device, FIFO, socket or directory is never replaced", "[util][write]") {
  ScratchDir dir("write");
  // /dev/null as root would otherwise be renamed over: issue 16.
  auto why = unwritable_target("/dev/null");
  REQUIRE(why);
  CHECK(why->find("is a character device; refusing to replace it") == 0);
  CHECK_THROWS_AS(write_file_atomic("/dev/null", "x"), WriteError);
  struct stat st {};
  REQUIRE(::stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));

  const std::string fifo = dir.file("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  REQUIRE(unwritable_target(fifo));
  CHECK(unwritable_target(fifo)->find("is a FIFO") == 0);
  CHECK_THROWS_AS(write_file_atomic(fifo, "x"), WriteError);
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));

  const std::string sock = dir.file("sock");
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, sock.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
  CHECK(unwritable_target(sock)->find("is a socket") == 0);
  ::close(fd);

  fs::create_directory(dir.file("sub"));
  CHECK(unwritable_target(dir.file("sub"))->find("is a directory") == 0);
  CHECK_FALSE(unwritable_target(dir.file("new.json")));
}

TEST_CASE("write: a symbolic link is followed to its regular file, and the link kept", "[util][write]") {
  ScratchDir dir("write");
  fs::create_directory(dir.file("real"));
  const std::string target = dir.file("real/catalog.json");
  spit(target, "old");
  ::chmod(target.c_str(), 0640);
  const std::string link = dir.file("link.json");
  fs::create_symlink(target, link);
  const std::string chain = dir.file("chain.json");
  fs::create_symlink(link, chain);

  CHECK_FALSE(unwritable_target(chain));
  write_file_atomic(chain, "new");
  CHECK(fs::is_symlink(link));
  CHECK(fs::is_symlink(chain));
  CHECK(slurp(target) == "new");
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);  // the replaced file keeps its mode

  // Dangling links and loops are refused, naming why; nothing is created.
  const std::string dangling = dir.file("dangling.json");
  fs::create_symlink(dir.file("nowhere.json"), dangling);
  REQUIRE(unwritable_target(dangling));
  CHECK(unwritable_target(dangling)->find("does not exist") != std::string::npos);
  CHECK_THROWS_AS(write_file_atomic(dangling, "x"), WriteError);
  CHECK_FALSE(fs::exists(dir.file("nowhere.json")));
  fs::create_symlink(dir.file("loop-b"), dir.file("loop-a"));
  fs::create_symlink(dir.file("loop-a"), dir.file("loop-b"));
  REQUIRE(unwritable_target(dir.file("loop-a")));
  CHECK(unwritable_target(dir.file("loop-a"))->find("a loop of symbolic links") != std::string::npos);
  // A link to a device is a device.
  fs::create_symlink("/dev/null", dir.file("null.json"));
  CHECK(unwritable_target(dir.file("null.json"))->find("is a character device") != std::string::npos);
}

TEST_CASE("write: temporary files of an interrupted write are removed by the next one", "[util][write]") {
  ScratchDir dir("write");
  const std::string target = dir.file("out.json");
  spit(target, "old");
  // Left by writes killed with SIGKILL: nobody holds them.
  spit(dir.file(".out.json.tmp.a1B2c3"), "half");
  spit(dir.file(".out.json.tmp.ZZZZZZ"), "half");
  // Not temporaries of this target: kept.
  spit(dir.file(".other.json.tmp.a1B2c3"), "x");
  spit(dir.file(".out.json.tmp.toolong1"), "x");
  spit(dir.file("out.json.tmp.a1B2c3"), "x");
  // A live writer holds its temporary file under flock: kept.
  const std::string live = dir.file(".out.json.tmp.LIVE00");
  spit(live, "in progress");
  const int fd = ::open(live.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);

  const auto report = write_file_atomic(target, "new");
  ::close(fd);
  CHECK(slurp(target) == "new");
  CHECK(report.removed_stale.size() == 2);
  CHECK_FALSE(fs::exists(dir.file(".out.json.tmp.a1B2c3")));
  CHECK_FALSE(fs::exists(dir.file(".out.json.tmp.ZZZZZZ")));
  CHECK(fs::exists(live));
  CHECK(fs::exists(dir.file(".other.json.tmp.a1B2c3")));
  CHECK(fs::exists(dir.file(".out.json.tmp.toolong1")));
  CHECK(fs::exists(dir.file("out.json.tmp.a1B2c3")));
}

TEST_CASE("import -o: refuses a device before any work, writes '-' to stdout, names removed leftovers", "[util][write][import]") {
  using aiadvise::cli::run_captured;
  const std::string csv = std::string(AIADVISE_SOURCE_DIR) + "/tests/fixtures/skypilot/aws-odd-rows.csv";
  {
    const auto r = run_captured({"--no-config", "catalog", "import", "skypilot", csv, "--cloud", "aws", "-o", "/dev/null"});
    CHECK(r.code == aiadvise::cli::k_exit_invalid);
    CHECK(r.out.empty());
    CHECK(r.err == "aiadvise: error: -o: /dev/null: is a character device; refusing to replace it with a regular file (name a "
                   "regular file, or '-' for standard output)\n");
  }
  {
    const auto r = run_captured({"--no-config", "catalog", "import", "skypilot", csv, "--cloud", "aws", "-o", "-", "--format", "table"});
    CHECK(r.code == aiadvise::cli::k_exit_ok);
    CHECK(r.out.rfind("{\n  \"instances\": [", 0) == 0);  // the catalog itself
    CHECK(r.err.find("Imported SkyPilot aws prices") != std::string::npos);  // the summary, on stderr
    CHECK_FALSE(fs::exists("-"));
  }
  {
    ScratchDir dir("write");
    const std::string out = dir.file("user.json");
    spit(dir.file(".user.json.tmp.Kx9Q2w"), "left by a killed import");
    const auto r = run_captured({"--no-config", "catalog", "import", "skypilot", csv, "--cloud", "aws", "-o", out});
    CHECK(r.code == aiadvise::cli::k_exit_ok);
    CHECK(r.err.find("aiadvise: warning: removed " + dir.file(".user.json.tmp.Kx9Q2w") + ", left by an interrupted earlier write") !=
          std::string::npos);
    CHECK_FALSE(fs::exists(dir.file(".user.json.tmp.Kx9Q2w")));
  }
}
