#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "aiadvise/util/heap.hpp"

using aiadvise::util::prepare_heap;

TEST_CASE("prepare_heap grows the heap only for more bytes, and allocation works after it", "[heap]") {
  const bool first = prepare_heap(std::size_t{64} << 20);
  INFO("first call prepared the heap: " << first);  // false under a sanitizer's allocator or without glibc
  CHECK_FALSE(prepare_heap(std::size_t{64} << 20));
  CHECK_FALSE(prepare_heap(std::size_t{32} << 20));
  CHECK_FALSE(prepare_heap(std::size_t{1} << 20));  // too little to bother
  if (first) CHECK(prepare_heap(std::size_t{128} << 20));  // the same heap, grown further

  // Tens of megabytes in small pieces, from this thread and freed again: what a parse does.
  std::vector<std::string> pieces;
  for (int i = 0; i < 300000; ++i) pieces.emplace_back(48, static_cast<char>('a' + i % 26));
  REQUIRE(pieces.size() == 300000);
  CHECK(pieces[27] == std::string(48, 'b'));
  pieces.clear();
  pieces.shrink_to_fit();
  std::vector<char> large(std::size_t{40} << 20, 'z');  // above glibc's largest mmap threshold
  CHECK(large.back() == 'z');
}
