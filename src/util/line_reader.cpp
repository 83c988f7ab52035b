#include "aiadvise/util/line_reader.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace aiadvise::util {

bool LineReader::fill() {
  if (m_eof) return false;
  m_pos = 0;
  m_end = 0;
  // NOTE: with a descriptor, read(2) returns what a pipe holds now, where fread waits for a whole
  // buffer: a producer that writes a line and waits for its answer gets it. Nothing else reads
  // the FILE, so its own buffer is empty. Without one (fmemopen), fread.
  if (const int fd = fileno(m_file); fd >= 0) {
    for (;;) {
      const ssize_t n = ::read(fd, m_buffer, sizeof m_buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) m_error = true;
      if (n > 0) m_end = static_cast<std::size_t>(n);
      break;
    }
  } else {
    m_end = std::fread(m_buffer, 1, sizeof m_buffer, m_file);
    m_error = std::ferror(m_file) != 0;
  }
  if (m_end == 0) m_eof = true;
  return m_end > 0;
}

LineReader::Status LineReader::next(std::string& line) {
  line.clear();
  bool too_long = false;
  bool any = false;
  for (;;) {
    if (m_pos == m_end && !fill()) {
      if (m_error) return Status::error;
      if (!any) return Status::end;
      break;  // final line without a newline
    }
    any = true;
    const char* start = m_buffer + m_pos;
    const void* nl = std::memchr(start, '\n', m_end - m_pos);
    const std::size_t n = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : m_end - m_pos;
    if (!too_long) {
      if (line.size() + n > m_max) {
        too_long = true;
        line.clear();  // bounded memory: drop what was read of this line
      } else {
        line.append(start, n);
      }
    }
    m_pos += n;
    if (nl) {
      ++m_pos;
      break;
    }
  }
  ++m_line;
  if (too_long) return Status::too_long;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return Status::line;
}

}  // namespace aiadvise::util
