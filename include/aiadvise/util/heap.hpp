#pragma once
/// Preparing the process heap for a large input.

#include <cstddef>

namespace aiadvise::util {

/// Readies the heap for about `bytes` of allocations made next, by this thread and threads it
/// starts: with glibc, one arena for all threads, its next allocation moved to a huge page
/// boundary, grown now by that much and advised to the kernel as a place for transparent huge
/// pages (MADV_HUGEPAGE). A page fault costs about 10 us on the virtual machines the tool runs on:
/// a `recommend` otherwise spends more time faulting in its heap than computing, and parsing a user
/// catalog of every region half its time (docs/performance.md, "2026-12-06"). Memory is only
/// committed where it is used. A later call for more bytes grows the heap further; one for no more
/// does nothing. Returns whether the heap was prepared now (false with another C library, under a
/// sanitizer's allocator, or when the kernel refuses the advice: the run is then only slower).
bool prepare_heap(std::size_t bytes);

/// Before starting `threads` threads that allocate all the time (--batch --jobs): with glibc, lets
/// each allocate from an arena of its own, up to `threads` more, where prepare_heap keeps one for
/// all (right for a load whose threads allocate once, but threads that allocate all the time then
/// wait on its lock). Takes effect only before the process first starts a thread that allocates.
void allow_thread_arenas(unsigned threads);

}  // namespace aiadvise::util
