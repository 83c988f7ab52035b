#include "cli/batch_cache.hpp"

#include <algorithm>
#include <stdexcept>

#include "aiadvise/render/json.hpp"

namespace aiadvise::cli {

void OutputTemplate::fill(std::string& out, std::initializer_list<std::string_view> values) const {
  out += parts.front();
  for (std::size_t k = 0; k < holes.size(); ++k) {
    if (holes[k] >= values.size()) throw std::logic_error("output template: a hole without a value");
    out += values.begin()[holes[k]];
    out += parts[k + 1];
  }
}

std::size_t OutputTemplate::bytes() const {
  std::size_t n = sizeof(OutputTemplate) + holes.size() * sizeof(std::size_t);
  for (const auto& p : parts) n += sizeof(std::string) + p.capacity();
  return n;
}

OutputTemplate output_template(const util::Json& object, std::initializer_list<std::string_view> hole_keys) {
  OutputTemplate t;
  std::string text;
  // NOTE: written member by member as render::append_json writes an object ('{', `"key":value`
  // separated by ',', '}'), so a template filled with a line's own values is that line's text.
  if (!object.is_object() || object.empty()) {
    render::append_json(text, object);
    t.parts.push_back(std::move(text));
    return t;
  }
  char separator = '{';
  for (const auto& [key, item] : object.get_ref<const util::Json::object_t&>()) {
    text += separator;
    separator = ',';
    render::append_json(text, util::Json(key));
    text += ':';
    const auto hole = std::find(hole_keys.begin(), hole_keys.end(), key);
    if (hole == hole_keys.end()) {
      render::append_json(text, item);
      continue;
    }
    t.parts.push_back(std::move(text));
    text.clear();
    t.holes.push_back(static_cast<std::size_t>(hole - hole_keys.begin()));
  }
  text += '}';
  t.parts.push_back(std::move(text));
  return t;
}

OutputCache::OutputCache(std::size_t max_entries, std::size_t max_bytes)
    : m_max_entries(std::max<std::size_t>(1, max_entries)), m_max_bytes(max_bytes) {}

const OutputTemplate* OutputCache::find(const std::string& key) {
  const auto it = m_index.find(key);
  if (it == m_index.end()) return nullptr;
  m_entries.splice(m_entries.begin(), m_entries, it->second);
  return &m_entries.front().text;
}

void OutputCache::drop(std::list<Entry>::iterator it) {
  m_bytes -= it->bytes;
  m_index.erase(it->key);
  m_entries.erase(it);
}

void OutputCache::insert(std::string key, OutputTemplate t) {
  if (const auto it = m_index.find(key); it != m_index.end()) drop(it->second);
  const std::size_t bytes = sizeof(Entry) + key.capacity() + 64 + t.bytes();  // 64: the index's node
  if (bytes > m_max_bytes) return;
  while (!m_entries.empty() && (m_entries.size() >= m_max_entries || m_bytes + bytes > m_max_bytes)) drop(std::prev(m_entries.end()));
  m_entries.push_front(Entry{std::move(key), std::move(t), bytes});
  m_bytes += bytes;
  m_index.emplace(m_entries.front().key, m_entries.begin());
}

void OutputCache::clear() {
  m_index.clear();
  m_entries.clear();
  m_bytes = 0;
}

}  // namespace aiadvise::cli
