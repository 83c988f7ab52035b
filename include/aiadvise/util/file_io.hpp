#pragma once
/// Reading inputs with a size cap, and writing results once.

#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace aiadvise::util {

/// What a path may be.
enum class InputKind {
  any,      ///< a regular file, or a pipe or device that the user named on purpose (`--workload <(...)`)
  regular,  ///< a regular file only: configuration and catalogs, which are read implicitly and must
            ///< never wait on a terminal or a FIFO
};

/// The input one run may hold: bytes read from files and standard input, and JSON values built
/// from them, all inputs together. One is installed for the life of a command (cli::run); while
/// it exists read_input and JsonDocument::parse draw from it, and an input that would go past it
/// is an InputError. Without one only the per-input caps apply. Threads may draw from it at once
/// (--batch --jobs: lines that read model files).
class InputBudget {
 public:
  /// `bytes` in all; at most one JSON value per `bytes_per_value` bytes of that (8 by default:
  /// about 100 bytes of memory each, so values cost at most about 12 times the byte budget).
  explicit InputBudget(std::size_t bytes, std::size_t bytes_per_value = 8);
  ~InputBudget();
  InputBudget(const InputBudget&) = delete;
  InputBudget& operator=(const InputBudget&) = delete;

  /// The budget in force, or null.
  static InputBudget* current();

  std::size_t bytes() const { return m_bytes; }
  std::size_t values() const { return m_values; }
  std::size_t bytes_left() const;
  std::size_t values_left() const;
  /// Takes `n` bytes (or values); false, taking nothing, when fewer are left.
  bool take_bytes(std::size_t n);
  bool take_values(std::size_t n);
  /// A file already charged is not charged again when it is read a second time.
  bool first_read(const std::string& path);

 private:
  mutable std::mutex m_mutex;  ///< guards the counts and m_charged
  std::size_t m_bytes, m_values;
  std::size_t m_bytes_used = 0, m_values_used = 0;
  std::set<std::string> m_charged;
  InputBudget* m_previous;
};

/// Reads a whole file ("-" is standard input) and stops as soon as `max_bytes` (or the run's
/// InputBudget) is crossed. Throws InputError naming the path for a missing, unreadable or
/// oversized file, a directory, a symlink loop, or (with InputKind::regular) anything that is
/// not a regular file; such a path is never opened for reading, so a terminal or a FIFO is never
/// waited on.
std::string read_input(const std::string& path, std::size_t max_bytes, InputKind kind = InputKind::any);

/// "a directory", "a character device", "a FIFO", "a socket", "a block device", "a regular file",
/// "a symbolic link" for a stat(2) mode.
std::string file_kind_name(unsigned mode);

/// The name to show for a path in messages: "<stdin>" for "-".
std::string display_name(const std::string& path);

/// What write_stdout reports for a reader that closed the pipe (EPIPE): not an error, but a
/// reason to stop producing output.
inline constexpr int k_reader_gone = -1;

/// Writes all of `data` to standard output and flushes. Returns 0, k_reader_gone when the reader
/// closed the pipe (EPIPE: not an error, the reader chose to stop), or the errno of a failed write.
int write_stdout(std::string_view data);

}  // namespace aiadvise::util
