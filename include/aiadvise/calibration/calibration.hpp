#pragma once
/// Published (or a team's own) measurements, replayed through the sizing model: each point names a
/// workload, the hardware it ran on and a measured number; predict() gives the model's number for
/// it, fit() chooses the efficiency factors that bring the model closest to a calibration set, and
/// accuracy() summarises the errors on a validation set the fit never saw. `aiadvise calibrate`
/// and the accuracy gate of the test suite are built on these.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aiadvise/catalog/catalog.hpp"
#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/json_document.hpp"

namespace aiadvise::calibration {

/// The metrics a point can measure.
const std::vector<std::string>& metric_names();

/// One measurement. The file format is JSON Lines, one point per line (docs/accuracy.md).
struct Point {
  std::string id;
  std::string set;     ///< calibration or validation (or empty: given by the file)
  std::string metric;  ///< throughput, ttft_ms, tpot_ms, latency_ms, train_time_hours, train_throughput, gpu_hours, peak_memory_gib, weights_gib, kv_bytes_per_token
  double value = 0;
  std::string unit;
  std::string scope = "system";  ///< system (all devices together) or per_device
  util::Json workload;           ///< an aiadvise workload (as `--workload` takes)
  // Hardware.
  std::string accelerator;  ///< hardware id, "" for a CPU run
  std::string cpu;          ///< host CPU id
  int per_instance = 1;     ///< accelerators per instance (CPU runs: 1)
  int instances = 1;
  int tensor_parallel = 0;  ///< 0: the model chooses
  std::optional<double> vcpus, memory_gib;  ///< of the host (CPU runs: what the run used)
  std::optional<double> tolerance;  ///< multiplicative: allowed max(predicted/measured, measured/predicted)
  /// A closed-loop load generator's clients (each sends its next request when the last one ends).
  /// With more clients than the server runs at once (workload.batch_size), the others wait, and a
  /// measured ttft_ms or latency_ms includes that wait.
  std::optional<int> clients;
  /// peak_memory_gib: what was measured: the framework's allocations (torch.cuda.max_memory_allocated)
  /// or the device's use (nvidia-smi, pynvml), which adds the runtime's context and cache.
  std::string memory = "device";
  std::string source, as_of, notes;
  std::string file;  ///< where it was read, for messages
  std::size_t line = 0;
};

/// Reads points from JSON Lines text; every problem becomes a diagnostic naming file, line and field.
std::vector<Point> read_points(const std::string& name, const std::string& text, std::vector<util::Diagnostic>& diagnostics);

/// The model's number for a point, and what it rested on.
struct Prediction {
  double predicted = 0;
  bool fits = true;
  std::string reason;                ///< why it could not be predicted or does not fit
  std::string kind;                  ///< compute kind of the hardware
  std::string family;                ///< the workload's family
  std::vector<std::string> factors;  ///< factor ids used
  sizing::Confidence confidence;
  bool ok() const { return reason.empty(); }
};

Prediction predict(const Point& p, const catalog::Catalog& catalog);

/// |log(predicted / measured)|: 0 is exact; log(2) is a factor of two either way.
double log_error(double predicted, double measured);

/// Options of a fit.
struct FitOptions {
  std::string as_of;        ///< date written on the factors
  std::string source;       ///< where the points came from, for the factors' provenance
  int rounds = 40;          ///< most coordinate-descent passes (it stops when no factor moves by 0.1%)
  int min_family_points = 2;  ///< calibration points a family needs on a hardware kind for a factor of its own
  int min_chip_points = 3;    ///< ... and on one chip for a factor of that chip (0: none per chip)
};

/// The factors (as catalog entries) that minimise the squared log error over `points` on
/// `catalog`, one per hardware kind and regime ("any" family), and per family where it has enough
/// points. The catalog's own factors start the search.
std::vector<catalog::Factor> fit(const std::vector<Point>& points, const catalog::Catalog& catalog, const FitOptions& options);

/// Accuracy of one group of points (a hardware kind, a family, or all).
struct Summary {
  std::size_t points = 0;
  double median_error = 0;  ///< multiplicative (1.3: x1.3)
  double within_1_5 = 0;    ///< share of points within x1.5
  double within_2 = 0;      ///< share within x2
  double band = 0;          ///< the x that covers 80% of the points
};
Summary summarise(const std::vector<double>& log_errors);

/// Error bands per hardware kind and family from validation points, set on the factors (in place):
/// a factor's band is its (kind, family) validation band where that has at least `min_points`
/// points, else its kind's.
void set_bands(std::vector<catalog::Factor>& factors, const std::vector<Point>& validation, const catalog::Catalog& catalog,
               std::size_t min_points = 5);

/// A Markdown report of a set of points: per hardware kind and per family, then every point.
std::string accuracy_markdown(const std::vector<Point>& calibration, const std::vector<Point>& validation,
                              const catalog::Catalog& catalog);
/// The same summaries as JSON (what the test suite's accuracy gate compares against).
util::Json accuracy_json(const std::vector<Point>& calibration, const std::vector<Point>& validation, const catalog::Catalog& catalog);

}  // namespace aiadvise::calibration
