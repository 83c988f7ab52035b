#include "aiadvise/util/table.hpp"

#include <algorithm>

namespace aiadvise::util {

std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}

namespace {
bool looks_numeric(const std::string& cell) {
  if (cell.empty() || cell == "-" || cell == "unknown") return true;
  bool digit = false;
  for (char c : cell) {
    if (c >= '0' && c <= '9') digit = true;
    else if (c != '.' && c != ',' && c != '-' && c != '+' && c != 'x' && c != '%' && c != 'e' && c != '$') return false;
  }
  return digit;
}
}  // namespace

std::string Table::render() const {
  const std::size_t columns = m_headers.size();
  std::vector<std::size_t> width(columns, 0);
  std::vector<bool> numeric(columns, true);
  for (std::size_t c = 0; c < columns; ++c) width[c] = display_width(m_headers[c]);
  for (const auto& row : m_rows) {
    for (std::size_t c = 0; c < columns && c < row.size(); ++c) {
      width[c] = std::max(width[c], display_width(row[c]));
      numeric[c] = numeric[c] && looks_numeric(row[c]);
    }
  }
  std::string out;
  auto emit = [&](const std::vector<std::string>& cells, bool header) {
    std::string line;
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      const std::size_t pad = width[c] - display_width(cell);
      if (c) line += "  ";
      if (numeric[c] && !header) line += std::string(pad, ' ') + cell;
      else line += cell + (c + 1 < columns ? std::string(pad, ' ') : "");
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  };
  emit(m_headers, true);
  std::vector<std::string> rule;
  for (std::size_t c = 0; c < columns; ++c) rule.push_back(std::string(width[c], '-'));
  emit(rule, true);
  for (const auto& row : m_rows) emit(row, false);
  return out;
}

}  // namespace aiadvise::util
