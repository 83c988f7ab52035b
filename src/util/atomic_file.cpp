#include "aiadvise/util/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "aiadvise/util/file_io.hpp"

namespace aiadvise::util {

namespace testing {
std::function<bool(std::string_view stage)> write_fault;
}  // namespace testing

WriteError::WriteError(std::string path, const std::string& message)
    : std::runtime_error(message), m_path(std::move(path)) {}

namespace {

namespace fs = std::filesystem;

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

/// Removes the temporary file (and closes it, which releases its lock) unless released.
struct TempFile {
  std::string path;
  int fd = -1;
  bool keep = false;
  ~TempFile() {
    if (!keep && !path.empty()) ::unlink(path.c_str());
    if (fd >= 0) ::close(fd);
  }
};

/// Where the bytes go: the path itself, or the regular file a symbolic link leads to.
struct Target {
  std::string path;      ///< the file to replace (a link's final target), or the new file's name
  bool exists = false;
  struct stat st {};
};

std::string kind_refusal(const struct stat& st) {
  return fmt::format("is {}; refusing to replace it with a regular file (name a regular file, or '-' for standard output)",
                     file_kind_name(st.st_mode));
}

// Resolves `path` to what will be replaced, or the reason it cannot be.
std::variant<Target, std::string> resolve(const std::string& path) {
  Target t;
  t.path = path;
  struct stat lst {};
  if (::lstat(path.c_str(), &lst) != 0) {
    if (errno == ENOENT) return t;  // a new file (a missing directory fails at mkstemp, naming it)
    return fmt::format("cannot inspect: {}", std::strerror(errno));
  }
  if (S_ISLNK(lst.st_mode)) {
    // NOTE: a link is followed to the file it names, which is replaced; the link stays a link.
    // realpath resolves the whole chain and fails on a dangling link or a loop.
    char* real = ::realpath(path.c_str(), nullptr);
    if (real == nullptr) {
      const int error = errno;
      return error == ENOENT ? std::string("is a symbolic link to a file that does not exist; refusing to write through it")
                             : fmt::format("is a symbolic link that cannot be followed: {}",
                                           error == ELOOP ? "a loop of symbolic links" : std::strerror(error));
    }
    t.path = real;
    std::free(real);
    if (::stat(t.path.c_str(), &t.st) != 0) return fmt::format("cannot inspect {}: {}", t.path, std::strerror(errno));
    if (!S_ISREG(t.st.st_mode)) return fmt::format("is a symbolic link to {}, which {}", t.path, kind_refusal(t.st));
    t.exists = true;
    return t;
  }
  if (!S_ISREG(lst.st_mode)) return kind_refusal(lst);
  t.st = lst;
  t.exists = true;
  return t;
}

// ".NAME.tmp." followed by exactly the six characters mkstemp fills in.
bool is_temp_of(std::string_view entry, std::string_view prefix) {
  if (entry.size() != prefix.size() + 6 || entry.substr(0, prefix.size()) != prefix) return false;
  for (char c : entry.substr(prefix.size())) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// Removes the temporary files of earlier writes to the same target that no live writer holds:
// each writer keeps an exclusive flock on its temporary file from creation to rename, and the
// kernel drops the lock when the writer dies, however it dies.
std::vector<std::string> remove_stale(const fs::path& dir, std::string_view prefix) {
  std::vector<std::string> removed;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return removed;
  while (const dirent* e = ::readdir(d)) {
    if (!is_temp_of(e->d_name, prefix)) continue;
    const std::string path = (dir / e->d_name).string();
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st {}, again {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0 &&
        ::lstat(path.c_str(), &again) == 0 && again.st_ino == st.st_ino && again.st_dev == st.st_dev &&
        ::unlink(path.c_str()) == 0) {
      removed.push_back(path);
    }
    ::close(fd);
  }
  ::closedir(d);
  return removed;
}

}  // namespace

std::optional<std::string> unwritable_target(const std::string& path) {
  auto resolved = resolve(path);
  if (auto* why = std::get_if<std::string>(&resolved)) return *why;
  return std::nullopt;
}

WriteReport write_file_atomic(const std::string& path, std::string_view bytes) {
  WriteReport report;
  if (fs::path(path).filename().empty()) fail(path, "not a file name", EISDIR);
  auto resolved = resolve(path);
  if (auto* why = std::get_if<std::string>(&resolved)) {
    throw WriteError(path, fmt::format("{}: cannot write: {}", path, *why));
  }
  const Target target = std::get<Target>(std::move(resolved));
  const fs::path real(target.path);
  const fs::path dir = real.has_parent_path() ? real.parent_path() : fs::path(".");

  // Keep the mode of a file being replaced; a new file gets 0666 & ~umask like open(2) gives.
  mode_t mode = 0;
  if (target.exists) {
    mode = target.st.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }

  const std::string prefix = "." + real.filename().string() + ".tmp.";
  report.removed_stale = remove_stale(dir, prefix);

  TempFile temp;
  const std::string templ = (dir / (prefix + "XXXXXX")).string();
  for (int attempt = 0;; ++attempt) {
    std::vector<char> name(templ.begin(), templ.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) fail(path, fmt::format("cannot create a temporary file in {}", dir.string()), errno);
    // Locked at once; a cleaner that took it between mkstemp and flock has unlinked it (no links
    // left), and a fresh name is taken.
    struct stat st {};
    if (::flock(fd, LOCK_EX) == 0 && ::fstat(fd, &st) == 0 && st.st_nlink > 0) {
      temp.fd = fd;
      temp.path = name.data();
      break;
    }
    ::close(fd);
    if (attempt == 3) fail(path, "cannot lock a temporary file", EAGAIN);
  }

  int error = 0;
  const std::size_t half = bytes.size() / 2;
  if (!write_all(temp.fd, bytes.data(), half, error)) fail(path, "write", error);
  if (injected("write")) fail(path, "write", EIO);
  if (!write_all(temp.fd, bytes.data() + half, bytes.size() - half, error)) fail(path, "write", error);
  if (::fchmod(temp.fd, mode) != 0) fail(path, "chmod", errno);
  // Where permitted (root, or the owner already), the new file keeps the old one's owner and group.
  if (target.exists) (void)!::fchown(temp.fd, target.st.st_uid, target.st.st_gid);
  if (injected("fsync") || ::fsync(temp.fd) != 0) fail(path, "fsync", errno ? errno : EIO);

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
  if (::rename(temp.path.c_str(), target.path.c_str()) != 0) fail(path, "rename", errno);
  temp.keep = true;  // it is the target now (closing it releases the lock)

  // Make the rename durable.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) fail(path, "open directory for fsync (the new file is in place)", errno);
  const bool dir_ok = !injected("dir-fsync") && ::fsync(dfd) == 0;
  const int e = errno;
  ::close(dfd);
  if (!dir_ok) fail(path, "fsync directory (the new file is in place)", e ? e : EIO);
  return report;
}

}  // namespace aiadvise::util
