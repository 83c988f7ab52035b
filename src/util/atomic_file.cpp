#include "aiadvise/util/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace aiadvise::util {

namespace testing {
std::function<bool(std::string_view stage)> write_fault;
}  // namespace testing

WriteError::WriteError(std::string path, const std::string& message)
    : std::runtime_error(message), m_path(std::move(path)) {}

namespace {

bool injected(std::string_view stage) { return testing::write_fault && testing::write_fault(stage); }

[[noreturn]] void fail(const std::string& path, const std::string& what, int error) {
  throw WriteError(path, fmt::format("{}: cannot write: {}: {}", path, what, std::strerror(error)));
}

bool write_all(int fd, const char* data, std::size_t size, int& error) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

/// Removes the temporary file (and closes it) unless released.
struct TempFile {
  std::string path;
  int fd = -1;
  bool keep = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!keep && !path.empty()) ::unlink(path.c_str());
  }
};

}  // namespace

void write_file_atomic(const std::string& path, std::string_view bytes) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (target.filename().empty()) fail(path, "not a file name", EISDIR);

  // Keep the mode of a file being replaced; a new file gets 0666 & ~umask like open(2) gives.
  mode_t mode = 0;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) fail(path, "is a directory", EISDIR);
    mode = st.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }

  TempFile temp;
  std::string leaf = ".";
  leaf += target.filename().string();
  leaf += ".tmp.XXXXXX";
  const std::string templ = (dir / leaf).string();
  std::vector<char> name(templ.begin(), templ.end());
  name.push_back('\0');
  temp.fd = ::mkstemp(name.data());
  if (temp.fd < 0) fail(path, fmt::format("cannot create a temporary file in {}", dir.string()), errno);
  temp.path = name.data();

  int error = 0;
  const std::size_t half = bytes.size() / 2;
  if (!write_all(temp.fd, bytes.data(), half, error)) fail(path, "write", error);
  if (injected("write")) fail(path, "write", EIO);
  if (!write_all(temp.fd, bytes.data() + half, bytes.size() - half, error)) fail(path, "write", error);
  if (::fchmod(temp.fd, mode) != 0) fail(path, "chmod", errno);
  if (injected("fsync") || ::fsync(temp.fd) != 0) fail(path, "fsync", errno ? errno : EIO);
  ::close(temp.fd);
  temp.fd = -1;

  // Read back what reached the file and compare.
  {
    const int fd = ::open(temp.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(path, "re-read", errno);
    std::string back;
    char buffer[65536];
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int e = errno;
        ::close(fd);
        fail(path, "re-read", e);
      }
      if (n == 0) break;
      back.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (injected("verify") || back != bytes) {
      throw WriteError(path, fmt::format("{}: cannot write: the bytes read back differ from those written", path));
    }
  }

  if (injected("rename")) fail(path, "rename", EIO);
  if (::rename(temp.path.c_str(), path.c_str()) != 0) fail(path, "rename", errno);
  temp.keep = true;  // it is the target now

  // Make the rename durable.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) fail(path, "open directory for fsync (the new file is in place)", errno);
  const bool dir_ok = !injected("dir-fsync") && ::fsync(dfd) == 0;
  const int e = errno;
  ::close(dfd);
  if (!dir_ok) fail(path, "fsync directory (the new file is in place)", e ? e : EIO);
}

}  // namespace aiadvise::util
