#include "aiadvise/util/table.hpp"

#include <algorithm>
#include <numeric>

namespace aiadvise::util {

std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}

std::size_t max_line_width(const std::string& text) {
  std::size_t widest = 0, start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    widest = std::max(widest, display_width(text.substr(start, end - start)));
    start = end + 1;
  }
  return widest;
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

// The first `width` display columns of `cell`, ending in "..." when shortened.
std::string shorten(const std::string& cell, std::size_t width) {
  if (display_width(cell) <= width) return cell;
  const std::size_t keep = width > 3 ? width - 3 : 0;
  std::string out;
  std::size_t columns = 0;
  for (std::size_t i = 0; i < cell.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(cell[i]) & 0xC0) != 0x80;
    if (starts && columns == keep) break;
    columns += starts;
    out += cell[i];
  }
  return out + std::string(std::min<std::size_t>(3, width), '.');
}

}  // namespace

std::string Table::render(std::size_t max_width) const {
  const std::size_t columns = m_headers.size();
  std::vector<std::size_t> width(columns, 0);
  std::vector<bool> right(columns, true);
  for (std::size_t c = 0; c < columns; ++c) width[c] = display_width(m_headers[c]);
  for (const auto& row : m_rows) {
    for (std::size_t c = 0; c < columns && c < row.size(); ++c) {
      width[c] = std::max(width[c], display_width(row[c]));
      right[c] = right[c] && looks_numeric(row[c]);
    }
  }
  for (std::size_t c = 0; c < columns; ++c) right[c] = right[c] || m_columns[c].right;

  // Columns shown: leave out droppable ones, highest rank first, until the table fits.
  std::vector<bool> shown(columns, true);
  auto total = [&] {
    std::size_t sum = 0, n = 0;
    for (std::size_t c = 0; c < columns; ++c) {
      if (!shown[c]) continue;
      sum += width[c];
      ++n;
    }
    return sum + (n > 1 ? 2 * (n - 1) : 0);
  };
  if (max_width > 0) {
    std::vector<std::size_t> dropped;
    while (total() > max_width) {
      std::size_t drop = columns;
      for (std::size_t c = 0; c < columns; ++c) {
        if (shown[c] && m_columns[c].drop_rank > 0 && (drop == columns || m_columns[c].drop_rank >= m_columns[drop].drop_rank)) drop = c;
      }
      if (drop == columns) break;
      shown[drop] = false;
      dropped.push_back(drop);
    }
    // A column dropped early may fit again once a wider one is gone: bring back what fits, the
    // most needed first.
    for (auto it = dropped.rbegin(); it != dropped.rend(); ++it) {
      shown[*it] = true;
      if (total() > max_width) shown[*it] = false;
    }
    // Still too wide: shorten the widest left-aligned column, a column at a time, to no less than 8.
    while (total() > max_width) {
      std::size_t widest = columns;
      for (std::size_t c = 0; c < columns; ++c) {
        if (shown[c] && !right[c] && width[c] > 8 && (widest == columns || width[c] > width[widest])) widest = c;
      }
      if (widest == columns) break;
      width[widest] -= std::min(width[widest] - 8, total() - max_width);
    }
  }

  std::string out;
  auto emit = [&](const std::vector<std::string>& cells) {
    std::string line;
    bool first = true;
    std::size_t last = columns;
    for (std::size_t c = 0; c < columns; ++c) if (shown[c]) last = c;
    for (std::size_t c = 0; c < columns; ++c) {
      if (!shown[c]) continue;
      const std::string cell = shorten(c < cells.size() ? cells[c] : "", width[c]);
      const std::size_t pad = width[c] - display_width(cell);
      if (!first) line += "  ";
      first = false;
      if (right[c]) line += std::string(pad, ' ') + cell;
      else line += cell + (c != last ? std::string(pad, ' ') : "");
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  };
  emit(m_headers);
  std::vector<std::string> rule;
  for (std::size_t c = 0; c < columns; ++c) rule.push_back(std::string(width[c], '-'));
  emit(rule);
  for (const auto& row : m_rows) emit(row);
  return out;
}

}  // namespace aiadvise::util
