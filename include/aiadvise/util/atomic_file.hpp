#pragma once
/// Replacing a file atomically: readers see the old bytes or the new bytes, never a mix.

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace aiadvise::util {

/// A file could not be written (exit code 4). The target, if it existed, is unchanged.
class WriteError : public std::runtime_error {
 public:
  WriteError(std::string path, const std::string& message);
  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
};

/// Why `path` cannot be the target of write_file_atomic, or nothing when it can: it must be a
/// regular file, a name that does not exist yet, or a symbolic link (of any length of chain) to a
/// regular file. A device, FIFO, socket or directory is never replaced by a file, and a dangling
/// link or a link to one of those is refused too. "is a character device; refusing to replace it".
std::optional<std::string> unwritable_target(const std::string& path);

/// What a write did besides writing.
struct WriteReport {
  /// Temporary files (".NAME.tmp.XXXXXX") that an interrupted earlier write to the same target
  /// left behind, removed by this one.
  std::vector<std::string> removed_stale;
};

/// Writes `bytes` to `path` atomically: a temporary file in the same directory (mkstemp, held
/// under flock(2) while it exists), all bytes written, fsync, re-read and compared, renamed over
/// `path`, then the directory fsynced. A new file gets mode 0666 less the umask; an existing one
/// keeps its mode (and, where permitted, its owner and group). A symbolic link is followed: the
/// regular file it leads to is replaced and the link is kept. Refuses what unwritable_target
/// refuses. Before writing, removes temporary files of earlier writes to the same target that no
/// live writer holds (a write killed with SIGKILL cannot remove its own). On any failure the
/// temporary file is removed, `path` is left byte-identical, and WriteError is thrown.
WriteReport write_file_atomic(const std::string& path, std::string_view bytes);

namespace testing {
/// Fault injection for tests. When set, called at each stage ("write" after half the bytes,
/// "fsync", "verify", "rename", "dir-fsync"); returning true makes that stage fail with EIO.
/// Null in production.
extern std::function<bool(std::string_view stage)> write_fault;
}  // namespace testing

}  // namespace aiadvise::util
