#pragma once
/// Reading inputs with a size cap, and writing results once.

#include <cstddef>
#include <string>
#include <string_view>

namespace aiadvise::util {

/// Reads a whole file ("-" is standard input) and stops as soon as `max_bytes` is crossed.
/// Throws InputError naming the path for a missing, unreadable or oversized file or a directory.
std::string read_input(const std::string& path, std::size_t max_bytes);

/// The name to show for a path in messages: "<stdin>" for "-".
std::string display_name(const std::string& path);

/// Writes all of `data` to standard output and flushes. Returns 0, or the errno of a failed
/// write; a closed pipe (EPIPE) counts as success, since the reader chose to stop.
int write_stdout(std::string_view data);

}  // namespace aiadvise::util
