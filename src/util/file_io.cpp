#include "aiadvise/util/file_io.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "aiadvise/util/diagnostics.hpp"

namespace aiadvise::util {

std::string display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

namespace {
[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw InputError(std::vector<Diagnostic>{Diagnostic{display_name(path), 0, 0, "", message}});
}
}  // namespace

std::string read_input(const std::string& path, std::size_t max_bytes) {
  std::FILE* file = stdin;
  if (path != "-") {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) fail(path, "cannot read: no such file");
    if (std::filesystem::is_directory(status)) fail(path, "cannot read: is a directory, expected a file");
    file = std::fopen(path.c_str(), "rb");
    if (!file) fail(path, fmt::format("cannot read: {}", std::strerror(errno)));
  }
  std::string data;
  char buffer[65536];
  for (;;) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, file);
    if (n > 0) {
      if (data.size() + n > max_bytes) {
        if (file != stdin) std::fclose(file);
        fail(path, fmt::format("input is larger than the cap of {} bytes (raise it with --max-input-bytes)", max_bytes));
      }
      data.append(buffer, n);
    }
    if (n < sizeof buffer) {
      const bool error = std::ferror(file) != 0;
      const int saved = errno;
      if (file != stdin) std::fclose(file);
      if (error) fail(path, fmt::format("cannot read: {}", std::strerror(saved)));
      break;
    }
  }
  return data;
}

int write_stdout(std::string_view data) {
  if (!data.empty() && std::fwrite(data.data(), 1, data.size(), stdout) != data.size()) {
    const int saved = errno;
    std::clearerr(stdout);
    return saved == EPIPE ? 0 : (saved ? saved : EIO);
  }
  if (std::fflush(stdout) != 0) {
    const int saved = errno;
    std::clearerr(stdout);
    return saved == EPIPE ? 0 : (saved ? saved : EIO);
  }
  return 0;
}

}  // namespace aiadvise::util
