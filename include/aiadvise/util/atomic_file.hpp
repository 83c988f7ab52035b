#pragma once
/// Replacing a file atomically: readers see the old bytes or the new bytes, never a mix.

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace aiadvise::util {

/// A file could not be written (exit code 4). The target, if it existed, is unchanged.
class WriteError : public std::runtime_error {
 public:
  WriteError(std::string path, const std::string& message);
  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
};

/// Writes `bytes` to `path` atomically: a temporary file in the same directory (mkstemp), all
/// bytes written, fsync, re-read and compared, renamed over `path`, then the directory fsynced.
/// A new file gets mode 0666 less the umask; an existing one keeps its mode. On any failure the
/// temporary file is removed, `path` is left byte-identical, and WriteError is thrown.
void write_file_atomic(const std::string& path, std::string_view bytes);

namespace testing {
/// Fault injection for tests. When set, called at each stage ("write" after half the bytes,
/// "fsync", "verify", "rename", "dir-fsync"); returning true makes that stage fail with EIO.
/// Null in production.
extern std::function<bool(std::string_view stage)> write_fault;
}  // namespace testing

}  // namespace aiadvise::util
