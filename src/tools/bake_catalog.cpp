// aiadvise_bake OUTPUT.cpp: validates the embedded default catalog (data/catalog) with the same
// loader users get, and writes it as C++ typed values (include/aiadvise/catalog/baked.hpp). Run by
// the build; a catalog with any problem fails the build with every diagnostic located.

#include <cstdio>
#include <fstream>
#include <string>

#include "aiadvise/catalog/baked.hpp"
#include "aiadvise/catalog/loader.hpp"
#include "aiadvise/util/diagnostics.hpp"

int main(int argc, char** argv) {
  using namespace aiadvise;
  if (argc != 2) {
    std::fprintf(stderr, "usage: aiadvise_bake OUTPUT.cpp\n");
    return 64;
  }
  const std::string output = argv[1];
  std::string source;
  try {
    source = catalog::bake_catalog_source(catalog::load_catalog_texts(catalog::embedded_sources()));
  } catch (const util::InputError& e) {
    for (const auto& d : e.diagnostics()) std::fprintf(stderr, "%s\n", util::format_diagnostic(d).c_str());
    std::fprintf(stderr, "aiadvise_bake: the default catalog (data/catalog) is not valid\n");
    return 1;
  }
  const std::string temp = output + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << source;
    if (!out.flush()) {
      std::fprintf(stderr, "aiadvise_bake: cannot write %s\n", temp.c_str());
      return 1;
    }
  }
  if (std::rename(temp.c_str(), output.c_str()) != 0) {
    std::fprintf(stderr, "aiadvise_bake: cannot rename %s to %s\n", temp.c_str(), output.c_str());
    return 1;
  }
  return 0;
}
