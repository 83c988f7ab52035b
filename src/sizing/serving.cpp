// Inference on a fleet of one instance type. Each replica holds the weights on `t` devices (tensor
// parallel) and keeps back a stated share of device memory. A request's stages run as a roofline:
// each run takes the longer of its compute (at the fitted fraction of peak) and its memory traffic
// (weights once per run for the whole batch, plus per-sequence state such as the KV cache), plus
// the tensor-parallel all-reduces.
//
// Autoregressive models (LLMs, encoder-decoders, recurrent decoders) serve with continuous
// batching: the concurrency a load creates follows Little's law (in flight = rate x time in the
// system), bounded by the KV cache that memory holds; prefills interleave with decode steps and
// slow them by the share of time they take. Other models serve batches; offline jobs run at the
// largest batch memory allows. Load above capacity is reported as overload, never as a latency.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sizing/constants.hpp"
#include "sizing/device.hpp"

namespace aiadvise::sizing::detail {

using catalog::ComputeKind;
using catalog::SizingMethod;
using workload::Mode;
using workload::Workload;
namespace k = constants;

namespace {

// batch() of the Timing being used on this thread, by degree (k_batch_degrees of them) and whole
// batch: the Timing's generation and the seconds.
struct BatchSlot {
  std::uint64_t generation = 0;
  double seconds = 0;
};
constexpr std::size_t k_batch_degrees = 4, k_direct_batches = 4096;
thread_local std::vector<BatchSlot> t_batch_slots(k_batch_degrees * k_direct_batches);
thread_local std::uint64_t t_batch_generation = 0;

class Timing {
 public:
  Timing(const Workload& w, const Requirements& r, const Device& d, double uc, double ub, double overhead_s)
      : m_w(w), m_r(r), m_d(d), m_uc(uc), m_ub(ub), m_overhead_s(overhead_s),
        m_full(w.is_transformer() || w.family == "rnn") {
    for (std::size_t s = 0; s < r.stages.size(); ++s) {
      if (r.stages[s].per_token) m_decode = static_cast<int>(s);
    }
  }

  bool autoregressive() const { return m_decode >= 0; }
  const Stage& decode() const { return m_r.stages[static_cast<std::size_t>(m_decode)]; }
  double output_tokens() const { return autoregressive() ? decode().runs : 0; }

  /// One run of stage `s` with `b` sequences on `t` devices.
  double run(const Stage& s, int t, double b, bool compute_only = false) const {
    const double seqs = b * s.copies;
    const double flops = seqs * s.flops;
    if (m_w.sizing == SizingMethod::classical) {
      // Tree traversal and small dot products are branch and latency bound: a few cycles per
      // operation on one core, not the vector units' peak.
      return flops * k::k_classical_cycles_per_op / (m_d.cpu_cores * m_d.clock_ghz * 1e9);
    }
    // Dense networks fill the device only with enough work per pass; transformers at LLM sizes do.
    const double fill = m_full ? 1.0 : ramp(m_d, flops / t);
    const double compute = flops / (t * *m_d.peak * m_uc * fill);
    double weights = s.weight_bytes;
    if (s.experts > 0) {
      // Distinct experts the batch's tokens are routed to, per layer: E x (1 - (1 - k/E)^tokens).
      const double touched = 1 - std::pow(1 - s.experts_per_token / s.experts, seqs * s.tokens);
      weights += s.expert_bytes * touched;
    }
    const double memory = (weights + seqs * s.state_bytes) / (t * m_d.bandwidth * m_ub);
    // Each pass through a layer costs the engine a fixed time too (kernel launches, scheduling),
    // whatever the batch: a fitted overhead per layer.
    return (compute_only ? compute : std::max(compute, memory)) + tp_comm(t, seqs * s.tokens) + m_overhead_s * m_r.layers;
  }

  /// Compute-bound or memory-bound at batch b (the decode stage, or the first stage).
  bool compute_bound(int t, double b) const {
    const Stage& s = autoregressive() ? decode() : m_r.stages.front();
    return run(s, t, b, true) * 2 > run(s, t, b);
  }

  /// The stages before the decode, for one request alone (its time to first token) and their pure
  /// compute per request (what it costs the replica when interleaved with decode steps).
  double first(int t, double b = 1) const {
    double sum = 0;
    for (int s = 0; s < static_cast<int>(m_r.stages.size()); ++s) {
      if (s == m_decode) break;
      sum += m_r.stages[static_cast<std::size_t>(s)].runs * run(m_r.stages[static_cast<std::size_t>(s)], t, b);
    }
    return sum;
  }
  double first_compute(int t) const {
    double sum = 0;
    for (int s = 0; s < static_cast<int>(m_r.stages.size()); ++s) {
      if (s == m_decode) break;
      sum += m_r.stages[static_cast<std::size_t>(s)].runs * run(m_r.stages[static_cast<std::size_t>(s)], t, 1, true);
    }
    return sum;
  }
  double step(int t, double b) const { return run(decode(), t, b); }

  /// Non-autoregressive: the time of a batch of b requests through every stage. The fleet search
  /// asks for the same whole batches again and again (a bisection per load it tries): those are
  /// remembered per degree.
  double batch(int t, double b) const {
    // NOTE: whole batches below k_direct_batches, in a table per degree indexed by the batch (an
    // estimate tries a few degrees, the divisors of its devices per instance). The tables are the
    // thread's, reused by every Timing: a slot holds a value only for the Timing whose generation
    // it carries, so nothing is cleared between estimates. Whole b is tested through a conversion,
    // not std::floor (a library call on x86-64 without SSE4.1). The search calls this thousands of
    // times an estimate, nearly always for a batch already worked out: that path is kept short
    // enough to inline (the degree asked for last keeps its table at hand), the rest out of line.
    if (b >= 1 && b < k_direct_batches && static_cast<double>(static_cast<std::uint32_t>(b)) == b) {
      if (t != m_table_degree) choose_table(t);
      if (m_table) {
        BatchSlot& slot = m_table[static_cast<std::size_t>(b)];
        if (slot.generation != m_generation) slot = BatchSlot{m_generation, stages(t, b)};
        return slot.seconds;
      }
    }
    return stages(t, b);
  }

 private:
  // Every stage of a batch of b, each run as often as it runs.
  [[gnu::noinline]] double stages(int t, double b) const {
    double sum = 0;
    for (const auto& s : m_r.stages) sum += s.runs * run(s, t, b);
    return sum;
  }

  // The table of degree t: its own, else a free one; none when k_batch_degrees are taken.
  [[gnu::noinline]] void choose_table(int t) const {
    m_table_degree = t;
    m_table = nullptr;
    for (std::size_t k = 0; k < m_degrees.size(); ++k) {
      if (m_degrees[k] == t || m_degrees[k] == 0) {
        m_degrees[k] = t;
        m_table = t_batch_slots.data() + k * k_direct_batches;
        return;
      }
    }
  }

  // Two all-reduces per layer per run, each a latency plus the message over the link.
  double tp_comm(int t, double tokens) const {
    if (t <= 1 || m_r.layers <= 0) return 0;
    const double latency = m_d.switched ? k::k_allreduce_latency_s : k::k_allreduce_latency_pcie_s;
    const double link = m_d.link();
    const double message = tokens * m_r.hidden * 2;
    return 2 * m_r.layers * (latency + 2.0 * (t - 1) / t * message / link);
  }

  const Workload& m_w;
  const Requirements& m_r;
  const Device& m_d;
  double m_uc, m_ub, m_overhead_s;
  bool m_full;  ///< the device is full at any batch (transformers, RNNs); others ramp up (ramp())
  int m_decode = -1;
  std::uint64_t m_generation = ++t_batch_generation;
  mutable std::array<int, k_batch_degrees> m_degrees{};  ///< the degree of each table (0: free)
  mutable int m_table_degree = 0;                         ///< the degree asked for last, and its table
  mutable BatchSlot* m_table = nullptr;
};

// Where a decreasing-through-zero f crosses zero between lo (f > 0) and hi (f <= 0), to within
// 1e-6: the end of the bracket where f <= 0. Regula falsi with the Illinois step (the end that
// stays has its value halved), so a piecewise linear f takes a few evaluations, not the twenty
// of a bisection; a step that would not shrink the bracket by at least the tolerance bisects.
template <typename F>
double crossing(F&& f, double lo, double f_lo, double hi, double f_hi) {
  constexpr double tol = 1e-6;
  int kept = 0;  // which end stayed on the last step: -1 lo, +1 hi
  for (int it = 0; it < 100 && hi - lo > tol; ++it) {
    double x = f_lo > f_hi ? hi - f_hi * (hi - lo) / (f_hi - f_lo) : (lo + hi) / 2;
    x = std::clamp(x, lo + tol / 2, hi - tol / 2);
    if (!(x > lo && x < hi)) x = (lo + hi) / 2;
    const double fx = f(x);
    if (fx > 0) {
      lo = x;
      f_lo = fx;
      if (kept == 1) f_hi /= 2;
      kept = 1;
    } else {
      hi = x;
      f_hi = fx;
      if (kept == -1) f_lo /= 2;
      kept = -1;
    }
  }
  return hi;
}

// The operating point of one replica at a request rate.
struct Point {
  double batch = 1;       ///< sequences in flight (or per batch)
  double ttft_s = 0, tpot_s = 0, latency_s = 0, queueing_s = 0;
  double capacity_rps = 0;  ///< the most requests/s the replica sustains
  double utilisation = 0;   ///< load / capacity
  bool overloaded = false;
};

}  // namespace

void estimate_serving(const Workload& w, const Requirements& r, const Device& d, Efficiency& eff, const catalog::Instance& i,
                      const EstimateOptions& o, Estimate& e, Words& words) {
  e.memory_available_gib = d.memory_gib;
  if (!d.peak || *d.peak <= 0 || d.bandwidth <= 0) {
    e.performance_known = false;
    words.fit_reason([] { return std::string("peak compute or memory bandwidth of this hardware at this precision is unknown"); });
    return;
  }
  const char* compute_regime = w.is_transformer() ? "prefill" : (w.sizing == SizingMethod::classical ? "gbdt" : "inference");
  const auto uc = w.sizing == SizingMethod::classical ? std::optional<double>(1.0) : eff(compute_regime);
  const auto ub = w.sizing == SizingMethod::classical ? std::optional<double>(1.0) : eff("decode");
  if (!uc || !ub) {
    e.performance_known = false;
    words.fit_reason([&] {
      return fmt::format("no fitted {} efficiency for {} on {}", !uc ? compute_regime : "decode", w.family,
                         d.hardware ? d.hardware->id : std::string(catalog::to_string(d.kind)));
    });
    return;
  }
  // A per-layer overhead where one is fitted (microseconds per layer per pass).
  const double overhead_s = r.layers > 0 ? eff.optional("overhead").value_or(0) * 1e-6 : 0;
  const Timing timing(w, r, d, *uc, *ub, overhead_s);
  const bool ar = timing.autoregressive();
  const bool offline = w.mode == Mode::batch;
  const double out = timing.output_tokens();

  // Memory: a share of each device is kept back; the replica's weights and workspace split over t.
  const double usable = (d.kind == ComputeKind::cpu ? d.memory_gib - 1 : d.memory_gib) * k::k_serving_memory_fraction;
  e.memory_limit_gib = usable;
  const double fixed = r.weight_bytes + r.workspace_bytes;
  const double per_seq = r.state_bytes_per_sequence + r.workspace_bytes_per_sequence;
  auto room = [&](int t) { return t * usable * k_gib - fixed; };
  const double batch_cap = ar ? k::k_max_batch : 1024;
  auto b_max = [&](int t) { return std::min(batch_cap, std::floor(room(t) / std::max(per_seq, 1.0))); };

  // Requests cost the host CPU time too (HTTP, parsing, serialising).
  const double request_s = w.mode == Mode::realtime ? k::k_request_cpu_s : 0;

  // One replica on t devices at a per-replica load (0 for offline: the largest batch).
  auto operate = [&](int t, double load, double replicas_per_instance) {
    Point p;
    // Online requests also cost the host CPU time; an offline job feeds the model directly.
    const double host_rps = (!offline && d.host_vcpus > 0) ? d.host_vcpus / replicas_per_instance / k::k_request_cpu_s : 1e300;
    const double bmax = w.batch_size ? *w.batch_size : b_max(t);
    if (ar) {
      const double prefill = timing.first_compute(t);  // per request, interleaved with decode steps
      auto rps_at = [&](double b) { return b / (b * prefill + out * timing.step(t, b)); };
      p.capacity_rps = std::min(rps_at(bmax), host_rps);
      if (offline || load <= 0) {
        // Continuous batching at a steady state: as one sequence ends the next starts, so bmax
        // sequences are always in flight; each new request's prefill waits for the others' (M/D/1)
        // and stalls the decode steps by the share of time prefills take. (Engines that batch
        // statically, all prefills at once, are not modelled apart.)
        // Only the other bmax - 1 sequences' prefills get in a sequence's way: over its life each
        // of them is prefilled once, between its own decode steps.
        p.batch = bmax;
        const double others = std::max(0.0, bmax - 1);
        const double rho = std::min(0.95, rps_at(bmax) * prefill * others / bmax);
        p.queueing_s = prefill * rho / (2 * (1 - rho));
        p.ttft_s = timing.first(t) + p.queueing_s;
        p.tpot_s = timing.step(t, bmax) + (out > 0 ? others * prefill / out : 0);
        p.latency_s = p.ttft_s + out * p.tpot_s;
        return p;
      }
      p.utilisation = load / p.capacity_rps;
      const double rho = load * prefill;  // share of the replica's time spent on prefills
      if (rho >= 1 || p.utilisation >= 1) {
        p.overloaded = true;
        p.batch = bmax;
        return p;
      }
      // Prefills wait for each other (M/D/1) and stall decode steps by their share of the time.
      p.queueing_s = prefill * rho / (2 * (1 - rho));
      p.ttft_s = timing.first(t) / (1 - rho) + p.queueing_s;
      auto tpot = [&](double c) { return timing.step(t, c) / (1 - rho); };
      // Little's law: concurrency = load x time in the system; the smallest fixed point.
      auto excess = [&](double c) { return load * (p.ttft_s + out * tpot(c)) - c; };
      if (w.batch_size) {
        p.batch = *w.batch_size;
        if (excess(p.batch) > 0) p.overloaded = true;
      } else if (const double at_max = excess(bmax); at_max > 0) {
        p.overloaded = true;
        p.batch = bmax;
      } else {
        p.batch = std::max(1.0, crossing(excess, 0, excess(0), bmax, at_max));
      }
      p.tpot_s = tpot(p.batch);
      p.latency_s = p.ttft_s + out * p.tpot_s;
      return p;
    }
    auto rps_at = [&](double b) { return b / timing.batch(t, b); };
    // On a CPU the model and the server share the vCPUs: their times per request add up. Beside an
    // accelerator the slower of the two bounds the rate.
    p.capacity_rps = d.kind == ComputeKind::cpu && host_rps < 1e299 ? 1 / (1 / rps_at(bmax) + 1 / host_rps)
                                                                     : std::min(rps_at(bmax), host_rps);
    if (offline || load <= 0) {
      p.batch = bmax;
      p.latency_s = timing.batch(t, bmax);
      return p;
    }
    p.utilisation = load / p.capacity_rps;
    // At full utilisation the queue grows without bound: overloaded, not a latency.
    if (p.utilisation >= 1) {
      p.overloaded = true;
      p.batch = bmax;
      return p;
    }
    // Dynamic batching: requests wait for the batch to form and for the device (M/D/1). A server
    // batches as much as keeps latency lowest: the smallest batch that keeps up may run the device
    // near saturation (a queue that grows as 1 / (1 - rho)), a larger one serves each request
    // slower but drains the queue. The batches tried: the smallest that keeps up, then doubling to
    // the largest that fits.
    // The queueing of batches of b whose service time is `service` (timing.batch(t, b)): the
    // callers have it already, so each batch size tried is looked up once.
    auto queueing_at = [&](double b, double service) {
      const double rho = std::min(0.99, std::max(load * service / b, p.utilisation));
      return (b - 1) / (2 * load) + service * rho / (2 * (1 - rho));
    };
    double b = 1;
    if (w.batch_size) {
      b = *w.batch_size;
    } else {
      double lo = 1, hi = bmax;
      while (lo < hi) {
        // lo and hi are whole and positive (bmax is a floor): truncation is the floor, without
        // the library call std::floor makes on x86-64 without SSE4.1.
        const double mid = static_cast<double>(static_cast<std::int64_t>((lo + hi) / 2));
        if (rps_at(mid) >= load) hi = mid;
        else lo = mid + 1;
      }
      b = lo;
      const double service_lo = timing.batch(t, b);
      double best = queueing_at(b, service_lo) + service_lo;
      for (double c = std::max(2.0, 2 * lo); c <= bmax; c = std::min(bmax, 2 * c)) {
        // The wait for a batch of c to form alone, (c - 1) / (2 x load), is where queueing_at
        // starts and grows with c: once it is no shorter than the best total, no larger batch wins.
        if ((c - 1) / (2 * load) >= best) break;
        const double service_c = timing.batch(t, c);
        const double total = queueing_at(c, service_c) + service_c;
        if (total < best) {
          best = total;
          b = c;
        }
        if (c == bmax) break;
      }
    }
    const double service = timing.batch(t, b);
    p.batch = b;
    p.queueing_s = queueing_at(b, service);
    p.latency_s = service;
    return p;
  };

  // The split: the smallest tensor-parallel degree whose memory holds the weights and one sequence
  // and, for real-time serving, meets the latency targets alone; a forced degree is used as given.
  auto meets = [&](const Point& p) {
    // An autoregressive request's TTFT (in its latency) already holds its queueing.
    const double latency_ms = (p.latency_s + (ar ? 0 : p.queueing_s) + request_s) * 1000;
    if (w.latency_ms && latency_ms > *w.latency_ms) return false;
    if (ar && w.ttft_ms && (p.ttft_s + request_s) * 1000 > *w.ttft_ms) return false;
    if (ar && w.tpot_ms && p.tpot_s * 1000 > *w.tpot_ms) return false;
    return true;
  };
  // Tensor-parallel degrees: the divisors of the devices per instance (12 Inferentia2 chips split
  // 1, 2, 3, 4, 6 or 12 ways), smallest first. On GPUs and TPUs a degree must also split the
  // attention heads: vLLM refuses a degree that does not divide them ("Total number of attention
  // heads (28) must be divisible by tensor parallel size (8)": Qwen2-7B cannot run 8 ways, vLLM
  // issue 11797), and its KV heads are split the same way or, when fewer than the degree,
  // replicated a whole number of times; TensorRT-LLM asks the same. NOTE: Neuron's libraries pad
  // heads, so Inferentia and Trainium keep every divisor.
  const bool heads_split = (d.kind == ComputeKind::gpu || d.kind == ComputeKind::tpu) && r.attention_heads > 0;
  const auto splits_heads = [&](int t) {
    if (!heads_split || t <= 1) return true;
    const long heads = std::lround(r.attention_heads);
    const long kv = std::max(1L, std::lround(r.kv_heads > 0 ? r.kv_heads : r.attention_heads));
    return heads % t == 0 && (kv >= t ? kv % t == 0 : t % kv == 0);
  };
  std::vector<int> degrees;
  int unsplit = 0;  // the largest degree the heads ruled out
  for (int candidate = 1; candidate <= d.per_instance; ++candidate) {
    if (d.per_instance % candidate != 0) continue;
    if (splits_heads(candidate)) degrees.push_back(candidate);
    else unsplit = candidate;
  }
  if (o.tensor_parallel > 0) {
    degrees = {o.tensor_parallel};
    unsplit = 0;
  }
  const auto heads_words = [&] {
    return fmt::format("its {} attention heads ({} KV) do not split {} ways", std::lround(r.attention_heads),
                       std::lround(r.kv_heads > 0 ? r.kv_heads : r.attention_heads), unsplit);
  };
  int t = 0, first_fit = 0;
  for (int candidate : degrees) {
    if (room(candidate) < per_seq) continue;
    if (!first_fit) first_fit = candidate;
    if (o.tensor_parallel > 0 || offline || meets(operate(candidate, 1e-9, 1))) {
      t = candidate;
      break;
    }
  }
  if (t == 0) t = first_fit;
  if (t == 0) {
    const int all = degrees.empty() ? 1 : degrees.back();
    e.tensor_parallel = all;
    e.memory_needed_gib = (fixed + per_seq) / k_gib / all;
    words.fit_reason([&] {
      return fmt::format("needs {} for weights and one sequence, {} per device over {} device(s); {} keeps {} of its {} per device "
                         "usable ({:.0f}%){}",
                         gib((fixed + per_seq) / k_gib), gib(e.memory_needed_gib), all, i.name, gib(usable), gib(d.memory_gib),
                         k::k_serving_memory_fraction * 100,
                         unsplit > all ? fmt::format(", and tensor parallelism stops at {}: {}", all, heads_words()) : std::string());
    });
    return;
  }

  // The fleet of one degree for real-time serving: the fewest instances whose replicas stay within
  // the utilisation limit, meet the targets and number at least min_replicas.
  const double qps = w.qps.value_or(1);
  auto next = [](int n) { return n < 8 ? n + 1 : n * 2; };
  auto replicas_of = [&](int deg) { return static_cast<double>(std::max(1, d.per_instance / deg)); };
  // Replicas asked for (min_replicas >= 2) are there so that one can fail or restart without an
  // outage: two replicas on one instance fail together, so they are spread over two instances at least.
  const int min_instances = o.min_replicas >= 2 ? 2 : 1;
  auto enough = [&](int n, double rp) { return n * rp >= o.min_replicas && n >= min_instances; };
  auto ok_at = [&](const Point& p, int n, double rp) {
    return !p.overloaded && p.utilisation <= o.max_utilisation && meets(p) && enough(n, rp);
  };
  struct Plan {
    int t = 0, count = 1;
    Point p;
    bool ok = false;
  };
  // `start`: the first count tried; `refine`: after a step past the need, bisect back to the fewest.
  auto size_fleet = [&](int deg, int start, bool refine) {
    const double rp = replicas_of(deg);
    auto at = [&](int n) { return operate(deg, qps / (n * rp), rp); };
    Plan plan;
    plan.t = deg;
    plan.count = o.count > 0 ? o.count : start;
    plan.p = at(plan.count);
    if (o.count == 0) {
      std::optional<Point> alone;
      int short_of = 0;  // the most instances known to fall short
      while (plan.count < k::k_max_instances && !ok_at(plan.p, plan.count, rp)) {
        // Past the load's needs, more instances no longer help a latency target one replica misses.
        if (!alone) alone = operate(deg, 1e-9, rp);
        if (!plan.p.overloaded && plan.p.utilisation <= o.max_utilisation && enough(plan.count, rp) && !meets(*alone)) break;
        short_of = plan.count;
        plan.count = next(plan.count);
        plan.p = at(plan.count);
      }
      if (refine && short_of > 0 && ok_at(plan.p, plan.count, rp)) {
        int lo = short_of, hi = plan.count;
        while (hi - lo > 1) {
          const int mid = lo + (hi - lo) / 2;
          (ok_at(at(mid), mid, rp) ? hi : lo) = mid;
        }
        if (hi != plan.count) {
          plan.count = hi;
          plan.p = at(hi);
        }
      }
    }
    plan.ok = ok_at(plan.p, plan.count, rp);
    return plan;
  };

  // NOTE: the configuration search (recommend and check). Every tensor-parallel degree that fits is
  // a configuration: its replicas per instance are the devices it leaves (per_instance / degree), so
  // a larger degree trades replicas for a faster, roomier replica (more KV cache, larger batches).
  // Real time: the fewest instances that meet the targets with the headroom, then the lowest
  // utilisation, then the smaller degree. A batch job: the most throughput per instance (its cost
  // for the job). Degrees that cannot beat the best so far on a lower bound are not sized.
  std::optional<Plan> searched;
  // `why` is a callable that words the outcome, called only when the search is shown.
  auto record = [&](int deg, int n, const Point* p, auto&& why) {
    if (!words.on()) return;
    Tried tr;
    tr.tensor_parallel = deg;
    tr.replicas_per_instance = static_cast<int>(replicas_of(deg));
    tr.count = n;
    if (p) {
      tr.utilisation = p->utilisation;
      tr.batch_size = p->batch;
    }
    tr.why = why();
    e.tried.push_back(std::move(tr));
  };
  if (o.search && o.tensor_parallel == 0 && degrees.size() > 1) {
    double best_rate = 0;
    int offline_t = 0;
    for (int deg : degrees) {
      if (room(deg) < per_seq) {
        record(deg, 0, nullptr, [] { return std::string("does not fit: weights and one sequence exceed the usable memory"); });
        continue;
      }
      if (w.batch_size && *w.batch_size > b_max(deg)) {
        record(deg, 0, nullptr, [&] { return fmt::format("batch {} does not fit (at most {:.0f})", *w.batch_size, b_max(deg)); });
        continue;
      }
      const double rp = replicas_of(deg);
      if (offline) {
        const double rate = rp * operate(deg, 0, rp).capacity_rps;
        record(deg, 0, nullptr, [&] { return fmt::format("{:.4g} {}/s per instance", rate, ar ? "requests" : r.unit); });
        if (rate > best_rate * (1 + 1e-9)) {
          best_rate = rate;
          offline_t = deg;
        }
        continue;
      }
      const Point alone = operate(deg, 1e-9, rp);
      if (!meets(alone)) {
        record(deg, 0, &alone, [] { return std::string("misses the latency targets even with one request in flight"); });
        continue;
      }
      int lower = std::max(min_instances, static_cast<int>(std::ceil(o.min_replicas / rp - 1e-9)));
      if (alone.capacity_rps > 0) {
        const double need = qps / (o.max_utilisation * rp * alone.capacity_rps);
        lower = std::max(lower, static_cast<int>(std::min<double>(k::k_max_instances, std::ceil(need - 1e-9))));
      }
      if (o.count == 0 && searched && searched->ok && lower > searched->count) {
        record(deg, lower, nullptr, [&] {
          return fmt::format("needs at least {} instance(s), more than the {} of tp {}", lower, searched->count, searched->t);
        });
        continue;
      }
      const Plan plan = size_fleet(deg, lower, true);
      if (!plan.ok) {
        record(deg, plan.count, &plan.p, [&] {
          return plan.p.overloaded ? std::string("overloaded") : fmt::format("no fleet up to {} instances meets the targets", plan.count);
        });
        continue;
      }
      record(deg, plan.count, &plan.p, [&] { return fmt::format("{} instance(s) at {:.0f}% utilisation", plan.count, plan.p.utilisation * 100); });
      if (!searched || plan.count < searched->count ||
          (plan.count == searched->count && plan.p.utilisation < searched->p.utilisation - 1e-12)) {
        searched = plan;
      }
    }
    if (offline && offline_t) t = offline_t;
    if (searched) t = searched->t;
    for (auto& tr : e.tried) tr.kept = tr.tensor_parallel == t;
  }
  e.tensor_parallel = t;
  e.replicas_per_instance = std::max(1, d.per_instance / t);
  if (w.batch_size && *w.batch_size > b_max(t)) {
    e.memory_needed_gib = (fixed + per_seq * *w.batch_size) / k_gib / t;
    words.fit_reason([&] {
      return fmt::format("batch of {} needs {} per device; {} keeps {} of its {} usable ({:.0f}%)", *w.batch_size,
                         gib(e.memory_needed_gib), i.name, gib(usable), gib(d.memory_gib), k::k_serving_memory_fraction * 100);
    });
    return;
  }

  // The fleet: enough instances for the deadline (offline) or for the load within the utilisation
  // limit, the targets and the fewest replicas (real time).
  const double replicas_per = e.replicas_per_instance;
  int count = std::max(1, o.count);
  Point p;
  if (offline) {
    p = operate(t, 0, replicas_per);
    if (o.count == 0 && w.deadline_hours) {
      const double total = w.dataset_samples.value_or(1e6);
      while (count < k::k_max_instances && total / (count * replicas_per * p.capacity_rps) / 3600 > *w.deadline_hours) count = next(count);
    }
  } else {
    const Plan plan = searched ? *searched : size_fleet(t, 1, false);
    count = plan.count;
    p = plan.p;
  }
  e.count = count;
  e.batch_size = p.batch;
  e.fits = true;
  e.memory_fraction = k::k_serving_memory_fraction;
  e.max_utilisation = offline ? 1 : o.max_utilisation;
  e.min_replicas = offline ? 1 : o.min_replicas;
  // What the engine is told: an autoregressive server admits as many sequences as its KV cache
  // holds (vLLM's max_num_seqs), others batch up to the batch chosen here.
  // With a TPOT target the cap is also the most sequences whose decode step still meets it, so a
  // burst queues for a slot instead of slowing every sequence past the target.
  e.max_concurrent = ar ? (w.batch_size ? *w.batch_size : b_max(t)) : p.batch;
  if (ar && !w.batch_size && w.tpot_ms && timing.step(t, e.max_concurrent) * 1000 > *w.tpot_ms) {
    double lo = std::max(1.0, std::ceil(p.batch)), hi = e.max_concurrent;
    while (hi - lo > 1) {
      const double mid = std::floor((lo + hi) / 2);
      (timing.step(t, mid) * 1000 <= *w.tpot_ms ? lo : hi) = mid;
    }
    e.max_concurrent = std::min(e.max_concurrent, lo);
  }
  e.continuous_batching = ar;
  e.memory_needed_gib = (fixed + per_seq * p.batch) / k_gib / t;
  e.headroom = (usable - e.memory_needed_gib) / usable;
  e.utilisation = p.utilisation;
  e.overloaded = p.overloaded;
  const double replicas = count * replicas_per;
  const double capacity = replicas * p.capacity_rps;
  if (p.overloaded) {
    words.note([&] {
      return fmt::format("overloaded: {} instance(s) serve at most {:.3g} requests/s, {:.3g} requested", count, capacity, w.qps.value_or(0));
    });
  } else {
    e.latency_ms = (p.latency_s + (ar ? 0 : p.queueing_s) + request_s) * 1000;
    LatencyParts parts;
    parts.queueing_ms = p.queueing_s * 1000;
    if (ar) {
      e.ttft_ms = (p.ttft_s + request_s) * 1000;
      e.tpot_ms = p.tpot_s * 1000;
      parts.first_ms = e.ttft_ms.value_or(0) - parts.queueing_ms;
      parts.generation_ms = out * p.tpot_s * 1000;
    } else {
      parts.first_ms = (p.latency_s + request_s) * 1000;
    }
    e.latency_parts = parts;
  }
  if (ar && w.is_llm()) {
    e.throughput = capacity * out;
    e.throughput_unit = "output tokens/s";
  } else {
    e.throughput = capacity;
    e.throughput_unit = w.is_transformer() || ar ? "requests/s" : per_second(r.unit);
  }
  if (words.on()) {
    e.bottleneck = w.sizing == SizingMethod::classical ? "compute" : (timing.compute_bound(t, p.batch) ? "compute" : "memory bandwidth");
  }
  if (t > 1) words.note([&] { return fmt::format("tensor parallel over {} devices", t); });
  if (unsplit > t && t == degrees.back()) words.note([&] { return fmt::format("tensor parallelism stops at {} devices: {}", degrees.back(), heads_words()); });
  words.note([&] {
    return fmt::format("{} replica(s) per instance at {:.3g} {} in flight; {:.0f}% of {} usable per device", e.replicas_per_instance, p.batch,
                       ar ? "sequences" : "requests per batch", k::k_serving_memory_fraction * 100, gib(d.memory_gib));
  });

  price(w, i, o, e, words);
  if (e.price_usd_per_hour && capacity > 0) {
    const double load_rps = offline ? capacity : std::min(capacity, w.qps.value_or(capacity));
    const double per_request = *e.price_usd_per_hour / 3600 / load_rps;
    e.cost_usd_per_1k_requests = per_request * 1000;
    if (ar && w.is_llm() && out > 0) e.cost_usd_per_1m_tokens = per_request / out * 1e6;
    if (offline) {
      e.time_hours = w.dataset_samples.value_or(1e6) / capacity / 3600;
      e.cost_usd = *e.price_usd_per_hour * billed_hours(*e.time_hours);
    }
  } else if (offline && capacity > 0) {
    e.time_hours = w.dataset_samples.value_or(1e6) / capacity / 3600;
  }
}

}  // namespace aiadvise::sizing::detail
