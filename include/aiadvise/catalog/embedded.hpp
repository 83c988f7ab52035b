#pragma once
/// The default catalog, compiled into the binary by cmake/embed_files.cmake.

#include <span>
#include <string_view>

namespace aiadvise::catalog {

struct EmbeddedFile {
  std::string_view name;  ///< "data/catalog/<file>.json"
  std::string_view text;
};

/// The files of data/catalog, sorted by name.
std::span<const EmbeddedFile> embedded_catalog_files();

}  // namespace aiadvise::catalog
