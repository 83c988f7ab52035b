#pragma once
/// Plain-text tables with aligned columns, fitted to a width.

#include <string>
#include <vector>

namespace aiadvise::util {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : m_headers(std::move(headers)), m_columns(m_headers.size()) {}
  void add_row(std::vector<std::string> cells) { m_rows.push_back(std::move(cells)); }
  /// Right-aligns a column. Without it, a column whose cells all look numeric is right-aligned.
  void align_right(std::size_t column) { m_columns.at(column).right = true; }
  /// Lets render() leave the column out when the table is wider than its width; columns of higher
  /// rank go first. Rank 0 (the default): always shown.
  void drop_rank(std::size_t column, int rank) { m_columns.at(column).drop_rank = rank; }
  /// The table, every line at most `max_width` display columns when that is possible by leaving
  /// out droppable columns, else by shortening the widest left-aligned cells with "..." (0: no
  /// limit). Trailing spaces are trimmed.
  std::string render(std::size_t max_width = 0) const;
  std::size_t size() const { return m_rows.size(); }

 private:
  struct Column {
    bool right = false;
    int drop_rank = 0;
  };
  std::vector<std::string> m_headers;
  std::vector<Column> m_columns;
  std::vector<std::vector<std::string>> m_rows;
};

/// Display width of UTF-8 text (code points; no wide-character handling).
std::size_t display_width(const std::string& text);

/// The longest line's display width.
std::size_t max_line_width(const std::string& text);

}  // namespace aiadvise::util
