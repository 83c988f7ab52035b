#pragma once
/// Importing SkyPilot's instance catalog (vms.csv) as an aiadvise user catalog of instances.

#include <cstddef>
#include <functional>
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
  std::vector<CsvField> fields;  ///< the first k_max_csv_fields fields
  std::size_t field_count = 0;   ///< every field of the record, kept or not
};

/// Fields kept per record: a vms.csv has about ten columns; a record of thousands (a header of
/// commas) is counted, not stored.
inline constexpr std::size_t k_max_csv_fields = 256;

/// RFC 4180: fields separated by commas, records by LF or CRLF; a quoted field may hold commas,
/// line breaks and doubled quotes. A final line break is optional; a blank line is no record.
/// Throws util::InputError naming `file`:LINE:COL for an unterminated quote or text after a
/// closing quote.
std::vector<CsvRow> parse_csv(std::string_view text, const std::string& file);

/// The same, one record at a time (the record may be moved from), so that a large file is never
/// held as fields.
void for_each_csv_record(std::string_view text, const std::string& file, const std::function<void(CsvRow&)>& each);

struct ImportOptions {
  std::string cloud;        ///< aws, gcp or azure
  /// Which regions to import: empty (the catalog's reference region for the cloud), "all", or a
  /// comma-separated list.
  std::string region;
  std::string as_of;        ///< YYYY-MM-DD for price_as_of / as_of
  std::string file;         ///< the path as given, for diagnostics
  std::string source_name;  ///< the file name, for price_source
  /// A bad row fails the import (exit 2) instead of being skipped and counted.
  bool strict = false;
  /// Diagnostics listed at most (bad rows, header problems); the rest are counted.
  std::size_t max_diagnostics = 50;
};

struct Skipped {
  std::string what;    ///< instance type or accelerator name
  std::string reason;
  std::vector<std::size_t> lines;
};

struct ImportResult {
  util::Json catalog;  ///< {"instances": [...]}
  std::string cloud;
  std::vector<std::string> regions;  ///< the regions imported (every region of the file for "all")
  std::size_t rows_read = 0;         ///< data rows in the file
  std::size_t rows_in_region = 0;    ///< of which in the imported regions (and not bad)
  std::size_t rows_bad = 0;          ///< rows skipped as malformed or out of range
  std::vector<util::Diagnostic> bad; ///< the first of them (ImportOptions::max_diagnostics), located
  std::size_t offers_written = 0;
  std::vector<std::string> new_ids, overridden_ids;
  std::vector<Skipped> skipped;
  std::vector<std::string> warnings;  ///< unknown accelerators, spec mismatches, ...
  /// Per entry of catalog["instances"] (same order): the CSV lines it was made from, so that a
  /// problem with an entry names the rows behind it.
  std::vector<std::vector<std::size_t>> entry_lines;
};

/// The catalog's reference region for a cloud: us-east-1, us-central1, eastus.
std::string reference_region(std::string_view cloud);

/// The catalog id for an instance name: aws-p4d-24xlarge, gcp-a2-highgpu-1g, azure-standard-nc6s-v3.
std::string instance_id(std::string_view cloud, std::string_view name);

/// Catalog hardware ids a SkyPilot accelerator name may denote on `cloud`: one for a known
/// name, several for an ambiguous one (Azure "H100": SXM or NVL), none for an unknown one.
std::vector<std::string> accelerator_candidates(std::string_view cloud, std::string_view name);

/// Converts vms.csv text for one cloud and the chosen regions into instance entries with one offer
/// per region. `base` is the catalog the result will be merged over (to tell overrides from new
/// entries, and to recognise the cloud's regions). A malformed or out-of-range row is skipped and
/// counted (or, with `strict`, fails the import); a file that cannot be read as a vms.csv for
/// `cloud` (no header, a missing column, another cloud's regions) throws util::InputError naming
/// FILE:LINE. Every value written is range-checked and every string valid UTF-8, so the result
/// loads over `base` (tests/fuzz checks it).
ImportResult import_vms_csv(std::string_view text, const ImportOptions& options, const Catalog& base);

/// The catalog text an import writes: JSON indented by two, one offer per line (a catalog of
/// every region holds tens of thousands of them).
std::string render_catalog(const util::Json& catalog);

/// The cloud a region name looks like, by the clouds' naming schemes (us-east-1, us-central1,
/// eastus), for regions the catalog does not list.
std::optional<std::string> cloud_of_region_name(std::string_view region);

}  // namespace aiadvise::catalog::skypilot
