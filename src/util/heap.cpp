#include "aiadvise/util/heap.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <mutex>

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#define AIADVISE_GLIBC_HEAP 1
#endif

namespace aiadvise::util {

#ifdef AIADVISE_GLIBC_HEAP
namespace {

constexpr std::size_t k_huge_page = std::size_t{2} << 20;        // x86-64 and arm64 with 4 KiB pages
constexpr std::size_t k_block = (std::size_t{32} << 20) - 4096;  // under glibc's largest mmap threshold
constexpr std::size_t k_probe = std::size_t{64} << 10;            // under the default mmap threshold

std::uintptr_t up(std::uintptr_t a) { return (a + k_huge_page - 1) & ~(k_huge_page - 1); }
std::uintptr_t down(std::uintptr_t a) { return a & ~(k_huge_page - 1); }
std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

struct State {
  std::mutex mutex;
  std::size_t prepared = 0;  ///< the largest `bytes` the heap was grown for; 0: not prepared
  bool refused = false;      ///< not glibc's sbrk heap (a sanitizer's allocator): never again
  std::uintptr_t start = 0;  ///< the first huge page boundary the heap allocates from
  void* filler = nullptr;    ///< the block that pushes the next allocation to `start`, never freed
};

State& state() {
  static State* const s = new State();  // reachable for the whole process: not a leak
  return *s;
}

// The first time: one arena for all threads, nothing trimmed or handed out by mmap below 32 MiB,
// and the next allocation moved to a huge page boundary (the block in front is never touched, so
// it costs address space, not memory).
bool first_time(State& s) {
  if (mallopt(M_ARENA_MAX, 1) == 0 || mallopt(M_MMAP_THRESHOLD, static_cast<int>(k_block + 4096)) == 0) return false;
  void* const probe = std::malloc(k_probe);
  const auto brk = address(sbrk(0));
  // From the sbrk heap, at its top: the next allocation of the top starts where the probe did.
  if (probe == nullptr || brk == address(reinterpret_cast<void*>(-1)) || address(probe) >= brk ||
      brk - address(probe) > k_block) {
    std::free(probe);
    return false;
  }
  const std::uintptr_t at = address(probe);
  std::free(probe);
  s.start = up(at + 64);  // room for the filler's own header
  const std::size_t gap = s.start - at;
  if (gap > 4096) s.filler = std::malloc(gap - 32);  // its header and the next one's fit the rest
  return true;
}

}  // namespace
#endif

bool prepare_heap(std::size_t bytes) {
#ifdef AIADVISE_GLIBC_HEAP
  State& s = state();
  const std::lock_guard<std::mutex> lock(s.mutex);
  const std::size_t reserve = std::min<std::size_t>(bytes, std::size_t{1} << 30);
  if (s.refused || reserve < 4 * k_huge_page || reserve <= s.prepared) return false;
  if (s.prepared == 0 && !first_time(s)) {
    s.refused = true;
    return false;
  }
  // The main arena grows by sbrk in one step of `reserve` (a thread's own arena would grow by
  // mprotect a few pages at a time, thousands of calls) and keeps what is freed instead of giving
  // it back and faulting it in again. Growing reserves address space; memory is committed where
  // it is touched, a huge page at a time where the kernel has one.
  const int pad = static_cast<int>(std::min<std::size_t>(reserve, INT_MAX / 2));
  if (mallopt(M_TRIM_THRESHOLD, 2 * pad) == 0 || mallopt(M_TOP_PAD, pad) == 0) return false;
  void* const probe = std::malloc(std::min(k_block, reserve));
  const auto top = address(sbrk(0));
  std::free(probe);  // stays in the heap: under the trim threshold
  if (probe == nullptr) return false;
  s.prepared = reserve;
  const std::uintptr_t last = down(top);
  if (last <= s.start) return false;
  return madvise(reinterpret_cast<void*>(s.start), last - s.start, MADV_HUGEPAGE) == 0;
#else
  (void)bytes;
  return false;
#endif
}

void allow_thread_arenas(unsigned threads) {
#ifdef AIADVISE_GLIBC_HEAP
  // NOTE: glibc reads the limit once, when a second thread first needs an arena; the main thread
  // keeps the prepared main arena.
  mallopt(M_ARENA_MAX, static_cast<int>(std::min(threads, 64u)) + 1);
#else
  (void)threads;
#endif
}

}  // namespace aiadvise::util
