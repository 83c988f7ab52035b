#pragma once
// The output text of batch lines, kept for repeated workloads (run_batch's handlers).

#include <cstddef>
#include <initializer_list>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aiadvise/util/json_document.hpp"

namespace aiadvise::cli {

/// A line's output as JSON text with holes for what differs between lines of the same workload
/// (check: the line number and the workload's name). `parts` has one more element than `holes`.
struct OutputTemplate {
  std::vector<std::string> parts;
  std::vector<std::size_t> holes;  ///< what fills each hole: an index into fill()'s values
  bool failed = false;             ///< check: the line fails the gate (exit 1)

  /// Appends the text, hole k filled with values[holes[k]] (JSON text).
  void fill(std::string& out, std::initializer_list<std::string_view> values = {}) const;
  std::size_t bytes() const;
};

/// `object` as render::append_json writes it, the value of each member named in `hole_keys` left
/// as a hole (filled by the value of the same index in OutputTemplate::fill).
OutputTemplate output_template(const util::Json& object, std::initializer_list<std::string_view> hole_keys);

/// Output templates by key (scoring::decision_key, plus what else the output depends on), least
/// recently used dropped first: at most `max_entries`, holding at most about `max_bytes` (keys
/// included), so memory does not grow with the input. It sits beside scoring::Memo, which keeps
/// the decisions themselves; this keeps what a decision's line prints, so a repeated workload
/// costs a lookup and a copy instead of a report built and written.
class OutputCache {
 public:
  static constexpr std::size_t k_default_entries = 128;
  static constexpr std::size_t k_default_bytes = std::size_t{8} << 20;

  explicit OutputCache(std::size_t max_entries = k_default_entries, std::size_t max_bytes = k_default_bytes);
  OutputCache(const OutputCache&) = delete;
  OutputCache& operator=(const OutputCache&) = delete;

  /// The template kept for `key`, or null; a hit becomes the most recently used.
  const OutputTemplate* find(const std::string& key);
  /// Keeps `t` for `key` (replacing any), dropping the least recently used until within bounds. A
  /// template larger than max_bytes on its own is not kept.
  void insert(std::string key, OutputTemplate t);
  /// Forgets everything (what the templates say no longer holds: the catalog changed).
  void clear();

  std::size_t size() const { return m_entries.size(); }
  std::size_t bytes() const { return m_bytes; }

 private:
  struct Entry {
    std::string key;
    OutputTemplate text;
    std::size_t bytes = 0;
  };
  void drop(std::list<Entry>::iterator it);

  std::size_t m_max_entries, m_max_bytes, m_bytes = 0;
  std::list<Entry> m_entries;  ///< most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> m_index;
};

}  // namespace aiadvise::cli
