#pragma once
// What estimate() works with: one compute device as the model sees it (an accelerator chip, or the
// whole host for CPU work), the efficiency factors for the workload on it, and where the words go.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "aiadvise/sizing/sizing.hpp"

namespace aiadvise::sizing::detail {

struct Device {
  catalog::ComputeKind kind = catalog::ComputeKind::cpu;
  const catalog::Hardware* hardware = nullptr;  ///< the accelerator, or the host CPU (null: generic)
  int per_instance = 1;
  double memory_gib = 0;
  double bandwidth = 0;            ///< bytes/s
  std::optional<double> peak;      ///< FLOP/s at the compute precision
  double cpu_cores = 0;            ///< physical cores (CPU devices)
  double clock_ghz = 0;
  double host_vcpus = 0;           ///< the instance's vCPUs, which serve the requests
  double link_bytes_per_s = 0;     ///< between devices of one instance (0: unknown)
  bool switched = false;           ///< devices joined by a switch (NVLink/NVSwitch, ICI, NeuronLink)

  /// The link between devices of one instance: the catalog's, or PCIe Gen4 x16 (32 GB/s) when it
  /// names none.
  double link() const { return link_bytes_per_s > 0 ? link_bytes_per_s : 32e9; }
};

// Where the words of an estimate go (notes, unknowns, the reason it does not fit). Callers that
// only compare numbers turn them off and skip the formatting; every number and flag is the same
// either way. Each takes a function that makes the text, so nothing is formatted when off.
class Words {
 public:
  Words(Estimate& e, bool on) : m_e(e), m_on(on) {}
  bool on() const { return m_on; }
  /// Whether an unknown was recorded (also when the words are off).
  bool any_unknown() const { return m_unknown; }
  template <typename Make>
  void unknown(Make&& make) {
    m_unknown = true;
    if (m_on) m_e.unknowns.push_back(make());
  }
  template <typename Make>
  void note(Make&& make) {
    if (m_on) m_e.notes.push_back(make());
  }
  template <typename Make>
  void fit_reason(Make&& make) {
    if (m_on) m_e.fit_reason = make();
  }

 private:
  Estimate& m_e;
  bool m_on;
  bool m_unknown = false;
};

/// The device of an instance for a workload: its accelerator where the workload runs on it, else
/// the host CPUs.
/// A rate of a unit: "images/s", "series/s".
inline std::string per_second(const std::string& unit) { return unit + (!unit.empty() && unit.back() == 's' ? "/s" : "s/s"); }

/// Whether the workload runs on the accelerator `h` at all (else on the host CPUs).
bool runs_on_accelerator(const workload::Workload& w, const catalog::Hardware& h);

Device device_of(const workload::Workload& w, const Requirements& r, const catalog::Instance& i, const catalog::Hardware* accelerator,
                 const catalog::Hardware* cpu, Estimate& e, Words& words);

/// The efficiency factors a workload uses on a device, with how sure they are. A missing factor
/// leaves its value empty (the estimate then says the performance is unknown).
class Efficiency {
 public:
  Efficiency(const catalog::Catalog& c, const workload::Workload& w, const Device& d, FactorMemo* memo = nullptr)
      : m_c(c), m_w(w), m_d(d), m_memo(memo) {}
  /// The fraction of the peak for `regime` (training, prefill, decode, inference, gbdt).
  std::optional<double> operator()(const char* regime);
  /// A factor the estimate can do without (overhead): nothing when the catalog has none.
  std::optional<double> optional(const char* regime);
  /// How sure the estimate is, over the factors asked for so far.
  Confidence confidence(bool words) const;

 private:
  const catalog::Factor* find(const char* regime) const;

  const catalog::Catalog& m_c;
  const workload::Workload& m_w;
  const Device& m_d;
  FactorMemo* m_memo;
  /// Remembers a factor used (once); confidence() reads them in the order first used.
  void use(const catalog::Factor* f);
  // NOTE: an estimate uses a handful of factors (one per regime it asks for): they are kept in place,
  // without an allocation per estimate; more than fit here go on in m_used_more.
  std::array<const catalog::Factor*, 8> m_used{};
  std::size_t m_used_count = 0;
  std::vector<const catalog::Factor*> m_used_more;
  bool m_missing = false;
};

/// The data parallel efficiency of `instances` instances.
double dp_efficiency(int instances);
/// Utilisation as a share of the fitted one, from the work one pass gives the device.
double ramp(const Device& d, double pass_flops);

void estimate_training(const workload::Workload& w, const Requirements& r, const Device& d, Efficiency& eff,
                       const catalog::Instance& i, const EstimateOptions& o, Estimate& e, Words& words);
void estimate_serving(const workload::Workload& w, const Requirements& r, const Device& d, Efficiency& eff,
                      const catalog::Instance& i, const EstimateOptions& o, Estimate& e, Words& words);
/// Prices the estimate's fleet (and the run or job, when it has a time).
void price(const workload::Workload& w, const catalog::Instance& i, const EstimateOptions& o, Estimate& e, Words& words);

std::string gib(double v);

}  // namespace aiadvise::sizing::detail
