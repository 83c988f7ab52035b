#include "aiadvise/util/heap.hpp"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <cstdlib>

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#define AIADVISE_GLIBC_HEAP 1
#endif

namespace aiadvise::util {

bool prepare_heap(std::size_t bytes) {
  static std::atomic<bool> done{false};
  if (done.exchange(true)) return false;
#ifdef AIADVISE_GLIBC_HEAP
  constexpr std::size_t k_huge_page = std::size_t{2} << 20;   // x86-64 and arm64 with 4 KiB pages
  constexpr std::size_t k_block = (std::size_t{32} << 20) - 4096;  // under glibc's largest mmap threshold
  const std::size_t reserve = std::min<std::size_t>(bytes, std::size_t{1} << 30);
  if (reserve < 4 * k_huge_page) return false;
  // Every thread allocates from the main arena, which grows by sbrk in one step of `reserve`
  // (a thread's own arena would grow by mprotect a few pages at a time, thousands of calls), and
  // keeps what is freed instead of giving it back and faulting it in again.
  const int pad = static_cast<int>(std::min<std::size_t>(reserve, INT_MAX / 2));
  if (mallopt(M_ARENA_MAX, 1) == 0 || mallopt(M_MMAP_THRESHOLD, static_cast<int>(k_block + 4096)) == 0 ||
      mallopt(M_TRIM_THRESHOLD, 2 * pad) == 0 || mallopt(M_TOP_PAD, pad) == 0)
    return false;
  auto* const before = static_cast<char*>(sbrk(0));
  void* const probe = std::malloc(std::min(k_block, reserve));
  auto* const after = static_cast<char*>(sbrk(0));
  std::free(probe);  // stays in the heap: under the trim threshold
  if (probe == nullptr || before == reinterpret_cast<char*>(-1) || after <= before) return false;  // not from sbrk
  const auto first = (reinterpret_cast<std::uintptr_t>(before) + k_huge_page - 1) & ~(k_huge_page - 1);
  const auto last = reinterpret_cast<std::uintptr_t>(after) & ~(k_huge_page - 1);
  if (last <= first) return false;
  return madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE) == 0;
#else
  (void)bytes;
  return false;
#endif
}

}  // namespace aiadvise::util
