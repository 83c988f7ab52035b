#pragma once
/// Loading the catalog: the embedded default, then user files merged over it by id, validated as
/// a whole. Every problem in every file is reported before loading fails.

#include <string>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/util/json_document.hpp"

namespace aiadvise::catalog {

struct LoadOptions {
  bool include_embedded = true;
  /// Files or directories (every *.json inside, sorted by name), merged in order over the default.
  std::vector<std::string> paths;
  util::JsonLimits limits;
  /// Keep each entry's merged JSON and field origins (Catalog::raw, Catalog::origins), which only
  /// `catalog list|show|validate|import` need; without them a large catalog loads faster and smaller.
  bool keep_json = true;
};

/// One input to the loader: a name to report and its text.
struct SourceText {
  std::string name;
  std::string text;
  /// The embedded default: read with the built-in caps, since --max-depth and --max-input-bytes
  /// guard the user's inputs, not the catalog aiadvise ships.
  bool embedded = false;
};

/// Loads, merges and validates. Throws util::InputError with every diagnostic on bad input.
Catalog load_catalog(const LoadOptions& options);

/// The same over texts already in memory (tests, fuzzing).
Catalog load_catalog_texts(const std::vector<SourceText>& sources, const util::JsonLimits& limits = {},
                           bool keep_json = true);

/// Reads a file or every *.json of a directory; throws util::InputError naming the path on failure.
std::vector<SourceText> read_catalog_path(const std::string& path, const util::JsonLimits& limits);

/// The embedded default catalog's files.
std::vector<SourceText> embedded_sources();

/// The environment variable that adds a user catalog (a path, or several separated by ':').
inline constexpr const char* k_catalog_env = "AIADVISE_CATALOG";

}  // namespace aiadvise::catalog
