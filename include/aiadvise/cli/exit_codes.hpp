#pragma once
/// Exit codes: the only place they are defined. Documented in docs/exit-codes.md and `--help`.

namespace aiadvise::cli {

inline constexpr int k_exit_ok = 0;        ///< success; `recommend` also when no option is feasible (the report says so)
inline constexpr int k_exit_findings = 1;  ///< `check` found something at or above --fail-on
inline constexpr int k_exit_invalid = 2;   ///< usage error or invalid input (catalog, workload, flags); nothing on stdout
inline constexpr int k_exit_internal = 3;  ///< a bug in aiadvise: an unexpected exception
inline constexpr int k_exit_io = 4;        ///< the result could not be written (e.g. disk full); a closed pipe is not an error

}  // namespace aiadvise::cli
