#pragma once
/// The default catalog, validated at build time and compiled in as typed values (src/tools/
/// bake_catalog.cpp writes the C++ that defines baked_default_catalog()). Loading it costs no JSON
/// parsing: this is what `recommend`, `estimate`, `check`, `rules` and `completion` use when no
/// user catalog is given. It carries no per-entry JSON (`raw`) or field origins (`origins`): the
/// commands that show those (`catalog list|show|validate`, `catalog import`) load the embedded
/// JSON instead, which holds the same data.

#include <string>

#include "aiadvise/catalog/catalog.hpp"

namespace aiadvise::catalog {

/// The embedded default catalog as typed values, indexed; equal to load_catalog(LoadOptions{})
/// but for `raw` and `origins` (tests/unit/catalog/test_baked.cpp checks it).
Catalog baked_default_catalog();

/// C++ source that defines baked_default_catalog() returning `catalog`'s typed values.
std::string bake_catalog_source(const Catalog& catalog);

}  // namespace aiadvise::catalog
