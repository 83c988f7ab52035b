#include "aiadvise/util/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "aiadvise/util/diagnostics.hpp"

namespace aiadvise::util {

namespace {
InputBudget* g_budget = nullptr;

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw InputError(std::vector<Diagnostic>{Diagnostic{display_name(path), 0, 0, "", message}});
}

std::string reason(int error) {
  switch (error) {
    case ENOENT: return "no such file";
    case ELOOP: return "a loop of symbolic links";
    default: return std::strerror(error);
  }
}
}  // namespace

InputBudget::InputBudget(std::size_t bytes, std::size_t bytes_per_value)
    : m_bytes(bytes), m_values(bytes / (bytes_per_value ? bytes_per_value : 1)), m_previous(g_budget) {
  g_budget = this;
}

InputBudget::~InputBudget() { g_budget = m_previous; }

InputBudget* InputBudget::current() { return g_budget; }

std::size_t InputBudget::bytes_left() const {
  const std::lock_guard lock(m_mutex);
  return m_bytes - m_bytes_used;
}

std::size_t InputBudget::values_left() const {
  const std::lock_guard lock(m_mutex);
  return m_values - m_values_used;
}

bool InputBudget::take_bytes(std::size_t n) {
  const std::lock_guard lock(m_mutex);
  if (n > m_bytes - m_bytes_used) return false;
  m_bytes_used += n;
  return true;
}

bool InputBudget::take_values(std::size_t n) {
  const std::lock_guard lock(m_mutex);
  if (n > m_values - m_values_used) return false;
  m_values_used += n;
  return true;
}

bool InputBudget::first_read(const std::string& path) {
  const std::lock_guard lock(m_mutex);
  return m_charged.insert(path).second;
}

std::string display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::string file_kind_name(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFDIR: return "a directory";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFIFO: return "a FIFO";
    case S_IFSOCK: return "a socket";
    case S_IFLNK: return "a symbolic link";
    case S_IFREG: return "a regular file";
    default: return "not a regular file";
  }
}

std::string read_input(const std::string& path, std::size_t max_bytes, InputKind kind) {
  int fd = STDIN_FILENO;
  if (path != "-") {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) fail(path, "cannot read: " + reason(errno));
    if (S_ISDIR(st.st_mode)) fail(path, "cannot read: is a directory, expected a file");
    if (kind == InputKind::regular && !S_ISREG(st.st_mode)) {
      fail(path, fmt::format("cannot read: is {}, expected a regular file", file_kind_name(st.st_mode)));
    }
    // NOTE: O_NONBLOCK for regular-only reads: if the path was swapped for a FIFO since the stat,
    // opening it must not wait for a writer; the fstat below then refuses it.
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (kind == InputKind::regular ? O_NONBLOCK : 0));
    if (fd < 0) fail(path, "cannot read: " + reason(errno));
    if (kind == InputKind::regular && (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
      ::close(fd);
      fail(path, fmt::format("cannot read: is {}, expected a regular file", file_kind_name(st.st_mode)));
    }
  }
  InputBudget* budget = InputBudget::current();
  const bool charge = budget && (path == "-" || budget->first_read(path));
  struct Closer {
    int fd;
    ~Closer() {
      if (fd != STDIN_FILENO) ::close(fd);
    }
  } closer{fd};
  std::string data;
  struct stat held {};
  if (::fstat(fd, &held) == 0 && S_ISREG(held.st_mode) && held.st_size > 0) {
    // One allocation for a file of known size, not one per doubling (a catalog of every region is megabytes).
    data.reserve(std::min(static_cast<std::size_t>(held.st_size), max_bytes) + 1);
  }
  std::vector<char> buffer(65536);
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, "cannot read: " + reason(errno));
    if (n == 0) break;
    const auto got = static_cast<std::size_t>(n);
    if (data.size() + got > max_bytes) {
      fail(path, fmt::format("input is larger than the cap of {} bytes (raise it with --max-input-bytes)", max_bytes));
    }
    if (charge && !budget->take_bytes(got)) {
      fail(path, fmt::format("the inputs of this run are larger than the cap of {} bytes in all (raise it with "
                             "--max-input-bytes)",
                             budget->bytes()));
    }
    data.append(buffer.data(), got);
  }
  return data;
}

int write_stdout(std::string_view data) {
  if (!data.empty() && std::fwrite(data.data(), 1, data.size(), stdout) != data.size()) {
    const int saved = errno;
    std::clearerr(stdout);
    return saved == EPIPE ? k_reader_gone : (saved ? saved : EIO);
  }
  if (std::fflush(stdout) != 0) {
    const int saved = errno;
    std::clearerr(stdout);
    return saved == EPIPE ? k_reader_gone : (saved ? saved : EIO);
  }
  return 0;
}

}  // namespace aiadvise::util
