#pragma once

#include <filesystem>
#include <optional>
// Shared test helpers: loading catalogs from strings and capturing their diagnostics.

#include <string>
#include <vector>

#include "aiadvise/catalog/loader.hpp"
#include "aiadvise/util/diagnostics.hpp"

namespace aiadvise::test {

/// A small valid catalog: one family, model, GPU, CPU, two instances and a service.
std::string minimal_catalog();

/// Loads the sources and returns the diagnostics (empty when the catalog is valid).
std::vector<util::Diagnostic> load_errors(const std::vector<catalog::SourceText>& sources,
                                          const util::JsonLimits& limits = {});

/// Loads one text named "test.json" over nothing else.
std::vector<util::Diagnostic> load_errors(const std::string& text);

/// All diagnostics formatted one per line, for failure messages.
std::string describe(const std::vector<util::Diagnostic>& diagnostics);

/// The embedded default catalog, loaded once.
const catalog::Catalog& default_catalog();

/// Replaces the first occurrence of `from` (which must exist) with `to`.
std::string replace_once(std::string text, const std::string& from, const std::string& to);

/// A fresh directory under the system's temporary directory ("aiadvise-PREFIX-XXXXXX"), removed
/// with everything in it when the object goes.
struct ScratchDir {
  std::filesystem::path path;
  explicit ScratchDir(const std::string& prefix = "scratch");
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  /// The path of `name` in the directory; with `text`, the file is written first (bytes as given).
  std::string file(const std::string& name, const std::optional<std::string>& text = std::nullopt) const;
};

/// One file of `bytes` named `name` in a fresh ScratchDir, removed with it: test cases that ctest
/// runs at once never share a path.
struct ScratchFile {
  ScratchDir dir{"file"};
  std::string path;
  ScratchFile(const std::string& name, const std::string& bytes) : path(dir.file(name, bytes)) {}
};

}  // namespace aiadvise::test
