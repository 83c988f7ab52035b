#pragma once
/// Typed, validating reads of JSON objects. Every problem becomes a located diagnostic and reading
/// goes on, so one pass reports every problem in an input.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aiadvise/util/json_document.hpp"
#include "aiadvise/util/numeric.hpp"

namespace aiadvise::util {

/// Where a value lives: a document and a JSON pointer in it.
struct Location {
  const JsonDocument* document = nullptr;
  std::string pointer;
};

/// Creates a diagnostic at a location (a document-less location gives a diagnostic without a position).
Diagnostic diagnostic_at(const Location& where, std::string message);

/// Appends a diagnostic at a location within the cap (util::k_max_diagnostics).
void add_diagnostic(std::vector<Diagnostic>& list, const Location& where, std::string message);

/// A short rendering of a JSON value for messages: strings quoted, long values cut.
std::string describe_value(const Json& value);

enum class NumberRule { any, non_negative, positive };

class ObjectReader {
 public:
  /// `field_location` maps a key to where its value came from (merged catalogs take fields from
  /// several files); by default it is `where` plus the key.
  ObjectReader(const Json& object, Location where, std::vector<Diagnostic>& diagnostics,
               std::function<Location(std::string_view)> field_location = {});

  /// Marks a key as known without reading it.
  void allow(std::string_view key);

  bool has(std::string_view key) const;
  std::optional<std::string> string(std::string_view key, bool required = false);
  /// A kebab-case id: ^[a-z0-9]+([-.][a-z0-9]+)*$, at most 64 characters.
  std::optional<std::string> id(std::string_view key, bool required = false);
  /// A YYYY-MM-DD date.
  std::optional<std::string> date(std::string_view key, bool required = false);
  std::optional<double> number(std::string_view key, NumberRule rule, bool required = false);
  /// A number within the field's stated range (util::Bounds).
  std::optional<double> number(std::string_view key, const Bounds& bounds, bool required = false);
  /// A whole number from `min` to `max`: the stated range of the field, within which every
  /// conversion and product the program makes is safe.
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max, bool required = false);
  std::optional<bool> boolean(std::string_view key, bool required = false);
  std::optional<std::string> one_of(std::string_view key, const std::vector<std::string>& allowed,
                                    bool required = false);
  /// An array of strings; with `allowed`, each must be one of them.
  std::vector<std::string> string_list(std::string_view key, const std::vector<std::string>* allowed = nullptr,
                                       bool required = false);
  /// The raw value of an object field (after checking its type), or nullptr.
  const Json* object(std::string_view key, bool required = false);
  const Json* array(std::string_view key, bool required = false);

  Location location_of(std::string_view key) const;
  void error(std::string_view key, std::string message);
  /// Reports keys that were never read or allowed, with a "did you mean".
  void finish();

 private:
  const Json* find(std::string_view key, bool required);

  const Json& m_object;
  Location m_where;
  std::vector<Diagnostic>& m_diagnostics;
  std::function<Location(std::string_view)> m_field_location;
  /// Keys read or allowed; a flat list (objects have a few dozen keys at most) to avoid a node per key.
  std::vector<std::string> m_known;
  void know(std::string_view key);
};

/// Number checks shared by readers: finite, not subnormal, within the rule, and not implausibly
/// large (1e18).
std::optional<std::string> check_number(const Json& value, NumberRule rule, double& out);

bool is_kebab_id(std::string_view text);

}  // namespace aiadvise::util
