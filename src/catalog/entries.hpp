#pragma once
// Typed reading of merged catalog entries. Each reader checks every field it knows and reports
// unknown ones, so a typo in a user catalog is an error rather than a silently ignored value.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/util/json_reader.hpp"

namespace aiadvise::catalog {

using FieldLocations = std::map<std::string, util::Location>;

class EntryReaders {
 public:
  explicit EntryReaders(std::vector<util::Diagnostic>& diagnostics) : m_diagnostics(diagnostics) {}

  CatalogMeta meta(const util::Json& v, const util::Location& at, const FieldLocations& fields);
  Family family(const util::Json& v, const util::Location& at, const FieldLocations& fields);
  Model model(const util::Json& v, const util::Location& at, const FieldLocations& fields);
  Hardware hardware(const util::Json& v, const util::Location& at, const FieldLocations& fields);
  Instance instance(const util::Json& v, const util::Location& at, const FieldLocations& fields);
  /// One element of an instance's `offers`: an object, or the compact [region, price, spot, zones].
  Offer offer(const util::Json& v, const util::Location& at);
  Offer compact_offer(const util::Json& v, const std::function<util::Location()>& where);
  Service service(const util::Json& v, const util::Location& at, const FieldLocations& fields);
  util::Json rule(const util::Json& v, const util::Location& at, const FieldLocations& fields);
  Factor factor(const util::Json& v, const util::Location& at, const FieldLocations& fields);

  /// Ids that must name entries of other sections, and sums that must add up.
  void check_references(const Catalog& catalog, const std::string& section, const util::Json& v,
                        const util::Location& at, const FieldLocations& fields);

 private:
  util::ObjectReader reader(const util::Json& v, const util::Location& at, const FieldLocations& fields);
  Provenance provenance(util::ObjectReader& r, const char* source_key = "source", const char* date_key = "as_of",
                        bool required = true);
  std::map<Precision, double> precision_map(util::ObjectReader& r, const char* key, const util::Bounds& bounds);
  ComputePreference preference(util::ObjectReader& r, const char* key);

  std::vector<util::Diagnostic>& m_diagnostics;
};

}  // namespace aiadvise::catalog
