#pragma once
/// Importing SkyPilot's instance catalog (vms.csv) as an aiadvise user catalog of instances.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/util/json_document.hpp"

namespace aiadvise::catalog::skypilot {

/// One CSV field and where it starts (1-based line and column).
struct CsvField {
  std::string text;
  std::size_t line = 0;
  std::size_t column = 0;
};
struct CsvRow {
  std::size_t line = 0;  ///< line where the record starts
  std::vector<CsvField> fields;
};

/// RFC 4180: fields separated by commas, records by LF or CRLF; a quoted field may hold commas,
/// line breaks and doubled quotes. A final line break is optional; a blank line is no record.
/// Throws util::InputError naming `file`:LINE:COL for an unterminated quote or text after a
/// closing quote.
std::vector<CsvRow> parse_csv(std::string_view text, const std::string& file);

struct ImportOptions {
  std::string cloud;        ///< aws, gcp or azure
  std::string region;       ///< empty: the catalog's reference region for the cloud
  std::string as_of;        ///< YYYY-MM-DD for price_as_of / as_of
  std::string file;         ///< the path as given, for diagnostics
  std::string source_name;  ///< the file name, for price_source
};

struct Skipped {
  std::string what;    ///< instance type or accelerator name
  std::string reason;
  std::vector<std::size_t> lines;
};

struct ImportResult {
  util::Json catalog;  ///< {"instances": [...]}
  std::string cloud, region;
  std::size_t rows_read = 0;       ///< data rows in the file
  std::size_t rows_in_region = 0;  ///< of which in `region`
  std::vector<std::string> new_ids, overridden_ids;
  std::vector<Skipped> skipped;
  std::vector<std::string> warnings;  ///< unknown accelerators, spec mismatches, ...
};

/// The catalog's reference region for a cloud: us-east-1, us-central1, eastus.
std::string reference_region(std::string_view cloud);

/// The catalog id for an instance name: aws-p4d-24xlarge, gcp-a2-highgpu-1g, azure-standard-nc6s-v3.
std::string instance_id(std::string_view cloud, std::string_view name);

/// Catalog hardware ids a SkyPilot accelerator name may denote on `cloud`: one for a known
/// name, several for an ambiguous one (Azure "H100": SXM or NVL), none for an unknown one.
std::vector<std::string> accelerator_candidates(std::string_view cloud, std::string_view name);

/// Converts vms.csv text for one cloud and region. `base` is the catalog the result will be merged
/// over (to tell overrides from new entries). Throws util::InputError for malformed input.
ImportResult import_vms_csv(std::string_view text, const ImportOptions& options, const Catalog& base);

}  // namespace aiadvise::catalog::skypilot
