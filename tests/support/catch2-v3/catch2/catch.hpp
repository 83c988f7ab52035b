#pragma once
// Catch2 v3 under the name of v2's single header, so the tests build with either (Debian 12 ships
// v2, Ubuntu 24.04 v3). Only on the include path when tests/CMakeLists.txt finds v3.

#include <catch2/catch_all.hpp>

#include <string>

using Catch::Approx;  // v2 has it at global scope through its single header

namespace Catch {
/// v2's Catch::Contains is v3's Catch::Matchers::ContainsSubstring.
inline Matchers::StringContainsMatcher Contains(const std::string& text) { return Matchers::ContainsSubstring(text); }
}  // namespace Catch
