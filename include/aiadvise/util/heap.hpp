#pragma once
/// Preparing the process heap for a large input.

#include <cstddef>

namespace aiadvise::util {

/// Readies the heap for about `bytes` of allocations made next, by this thread and threads it
/// starts: with glibc, one arena for all threads, grown now by that much and advised to the kernel
/// as a place for transparent huge pages (MADV_HUGEPAGE). Parsing a user catalog of every region
/// (megabytes of JSON, tens of megabytes of values) otherwise spends about half its time in page
/// faults and in growing per-thread arenas a page at a time (docs/performance.md, "2026-12-06").
/// Memory is only committed where it is used. Once per process; later calls do nothing. Returns
/// whether the heap was prepared (false with another C library, under a sanitizer's allocator, or
/// when the kernel refuses the advice: the run is then only slower).
bool prepare_heap(std::size_t bytes);

}  // namespace aiadvise::util
