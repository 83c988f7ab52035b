#pragma once
/// Reading JSON Lines with bounded memory: a line longer than the cap is reported and skipped
/// without being held in memory.

#include <cstddef>
#include <cstdio>
#include <string>

namespace aiadvise::util {

class LineReader {
 public:
  enum class Status { line, too_long, end, error };

  LineReader(std::FILE* file, std::size_t max_line_bytes) : m_file(file), m_max(max_line_bytes) {}

  /// The next line without its "\n" or "\r\n"; a final line without a newline counts. Reads only
  /// what the file holds now (a pipe's line is returned without waiting for more).
  Status next(std::string& line);
  /// 1-based number of the line last returned.
  std::size_t line_number() const { return m_line; }
  /// Whether the next call reads the file (every byte read so far has been returned): a caller
  /// that answers lines in groups hands on what it holds rather than wait for more input.
  bool drained() const { return m_pos == m_end; }

 private:
  bool fill();

  std::FILE* m_file;
  std::size_t m_max;
  std::size_t m_line = 0;
  char m_buffer[65536];
  std::size_t m_pos = 0, m_end = 0;
  bool m_eof = false;
  bool m_error = false;
};

}  // namespace aiadvise::util
