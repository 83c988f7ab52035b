#pragma once
/// Plain-text tables with aligned columns.

#include <string>
#include <vector>

namespace aiadvise::util {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : m_headers(std::move(headers)) {}
  void add_row(std::vector<std::string> cells) { m_rows.push_back(std::move(cells)); }
  /// Columns whose cells all look numeric are right-aligned.
  std::string render() const;
  std::size_t size() const { return m_rows.size(); }

 private:
  std::vector<std::string> m_headers;
  std::vector<std::vector<std::string>> m_rows;
};

/// Display width of UTF-8 text (code points; no wide-character handling).
std::size_t display_width(const std::string& text);

}  // namespace aiadvise::util
