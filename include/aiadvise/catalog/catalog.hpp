#pragma once
/// The catalog as typed values: what the engine reasons over. Built by the loader (loader.hpp),
/// which has already checked every field, so these structs hold only valid data; a value the
/// catalog does not know is an empty optional, never a made-up default.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aiadvise/catalog/types.hpp"
#include "aiadvise/util/json_document.hpp"

namespace aiadvise::catalog {

struct Provenance {
  std::string source;
  std::string as_of;  ///< YYYY-MM-DD

  bool operator==(const Provenance&) const = default;
};

struct ComputePreference {
  ComputeKind default_kind = ComputeKind::gpu;
  std::vector<std::string> cpu_viable_when;
  std::vector<std::string> gpu_needed_when;

  bool operator==(const ComputePreference&) const = default;
};

struct Family {
  std::string id, name, description;
  SizingMethod sizing = SizingMethod::dense;
  std::string training_guidance, inference_guidance;
  ComputePreference training, inference;
  std::optional<double> typical_params;
  std::optional<double> typical_forward_gflops_per_sample;
  std::vector<std::string> frameworks;
  Provenance provenance;

  bool operator==(const Family&) const = default;
};

struct Architecture {
  std::optional<int> layers, hidden_size, attention_heads, kv_heads, head_dim, intermediate_size, vocab_size,
      context_length, experts, experts_per_token, encoder_layers, decoder_layers;

  bool operator==(const Architecture&) const = default;
};

/// A part of a model that runs on its own schedule (a diffusion pipeline's text encoder, denoiser and
/// VAE; a GAN's generator and discriminator; a CLIP model's two towers). Its FLOPs are per sample
/// (per latent, per image) at the model's native resolution.
struct Component {
  std::string name;
  std::optional<double> params, gflops;
  std::string runs = "once";      ///< once, per-step (each denoising step), per-token (each output token)
  std::string used_in = "both";   ///< inference, training or both
  bool trainable = true;          ///< updated when the model is trained (false: frozen, forward only)

  bool operator==(const Component&) const = default;
};

struct Model {
  std::string id, name, family;
  std::optional<double> params, active_params;
  Architecture architecture;
  std::vector<Component> components;  ///< empty: one network runs once per sample
  std::optional<int> input_positions;  ///< fixed encoder positions per input (image patches, audio frames)
  std::optional<int> native_resolution;  ///< pixels per side the FLOPs are given at (image models)
  std::optional<double> forward_gflops_per_sample;
  std::optional<double> activation_mib_per_sample;
  std::string input;
  std::optional<Precision> default_precision;
  std::vector<std::string> frameworks;
  /// The compute kinds the model's own tooling trains and deploys it on (its exporter's targets);
  /// empty: not limited. Rule model-compute-path excludes the others.
  std::vector<ComputeKind> runs_on;
  Provenance provenance;

  bool operator==(const Model&) const = default;
};

struct Hardware {
  std::string id, name, vendor;
  ComputeKind kind = ComputeKind::gpu;
  std::optional<double> memory_gib;
  std::string memory_type;
  std::optional<double> memory_bandwidth_gb_per_s;
  std::map<Precision, double> tflops;  ///< dense peak per chip
  /// The precisions the chip computes in, from its datasheet (docs/catalog.md, "Precisions"); empty:
  /// the catalog does not say, and the keys of tflops stand for them.
  std::vector<Precision> precisions;
  Provenance precisions_provenance;
  std::string interconnect_name;
  std::optional<double> interconnect_gb_per_s;
  std::vector<std::string> frameworks;
  std::vector<std::string> supported_families;  ///< empty: all
  /// The families its toolchain trains, where that is fewer than it runs (Trainium: CNNs and
  /// diffusion run for inference only); empty: supported_families.
  std::vector<std::string> training_families;
  // CPUs
  std::optional<int> cores_per_socket, threads_per_core;
  std::optional<double> clock_ghz;
  std::map<Precision, double> flops_per_cycle_per_core;
  std::string vector_units;
  Provenance provenance;

  bool operator==(const Hardware&) const = default;
};

/// The precisions `h` computes in: its `precisions`, or the keys of its tflops where it lists none.
std::vector<Precision> supported_precisions(const Hardware& h);

/// The precision `h` runs a workload stated at `requested` in: `requested` where the chip supports
/// it, else the first it supports of the same or more bytes per value (fp8 -> bf16, fp16; int8 ->
/// bf16, fp16; bf16 <-> fp16; fp32 <-> tf32); empty when it has none. int4 is weight-only (the
/// arithmetic runs in 16 bits), so it runs wherever the chip has int4, fp16 or bf16.
/// NOTE: never a narrower precision: an estimate at fewer bytes than the user's model would be
/// optimistic about memory, the error this project must not make (docs/rules/accelerator-precision.md).
std::optional<Precision> precision_on(const Hardware& h, Precision requested);

/// A region name with static storage duration: the one copy kept for the process (a set that only
/// grows; there are a few hundred real region names).
std::string_view intern_region(std::string_view name);

/// Where an instance is sold and at what price: one region of one instance shape. Prices can be
/// unknown (an offer the source lists without a price); an instance is sold only where it has an
/// offer.
struct Offer {
  /// Static storage: a baked literal or a name from intern_region(), so offers are cheap to build
  /// and copy (the default catalog bakes thousands).
  std::string_view region;
  std::optional<double> price_usd_per_hour;       ///< on-demand, Linux, whole instance
  std::optional<double> spot_price_usd_per_hour;  ///< spot or preemptible, where the source gives it
  std::optional<int> zones;  ///< availability: how many of the region's zones the source lists it in
  Provenance provenance;     ///< empty: the instance's price_provenance

  bool operator==(const Offer&) const = default;
};

struct Instance {
  std::string id;
  Cloud cloud = Cloud::aws;
  std::string name, family;
  double vcpus = 0;
  double memory_gib = 0;
  std::optional<std::string> cpu;          ///< hardware id
  std::optional<std::string> accelerator;  ///< hardware id
  int accelerator_count = 0;
  /// A fractional GPU (Azure NVadsA10 v5): the share of one accelerator the instance gets (its
  /// memory, bandwidth and compute); absent: accelerator_count whole devices.
  std::optional<double> accelerator_share;
  std::optional<double> network_gbps;
  /// A burstable (shared-core, CPU-credit) size: its sustained CPU is a fraction of its vCPUs.
  /// Managed ML services are not priced on them here (docs/catalog.md, "Burstable sizes").
  bool burstable = false;
  /// The home region: where the instance is priced when a workload names no region.
  std::string region;
  /// The home region's offer prices (copies of offers[home], for readers of one price).
  std::optional<double> price_usd_per_hour;
  std::optional<double> price_vm_usd_per_hour, price_accelerators_usd_per_hour;
  std::optional<double> spot_price_usd_per_hour;
  Provenance provenance, price_provenance;
  /// Every region the instance is sold in, sorted by region, one offer each.
  std::vector<Offer> offers;

  /// The offer in `region`, or null.
  const Offer* offer_in(std::string_view region) const;

  bool operator==(const Instance&) const = default;
};

struct TokenPrice {
  std::string model;  ///< model id
  double input_usd_per_1m_tokens = 0, output_usd_per_1m_tokens = 0;
  std::string region;
  Provenance provenance;

  bool operator==(const TokenPrice&) const = default;
};

struct InstancePrice {
  std::string instance;  ///< instance id
  double price_usd_per_hour = 0;
  std::string region;
  Provenance provenance;

  bool operator==(const InstancePrice&) const = default;
};

struct Service {
  std::string id, name;
  Cloud cloud = Cloud::aws;
  bool managed = true;
  std::string kind;  ///< training, realtime-inference, serverless-inference, ...
  std::vector<std::string> phases, modes;
  std::vector<ComputeKind> accelerators;
  std::map<std::string, double> limits;
  std::string pricing_model;  ///< instance-hour, per-request, per-token, vm
  std::optional<double> markup_over_vm;
  std::optional<double> usd_per_gb_second, usd_per_request, cluster_usd_per_hour;
  std::vector<TokenPrice> token_prices;
  std::vector<InstancePrice> instance_prices;
  std::vector<std::string> takes_off_the_team;
  Provenance provenance;

  bool operator==(const Service&) const = default;
};

/// A fitted efficiency: the fraction of a peak (compute, or memory bandwidth for `decode`) that one
/// kind of work reaches on some hardware, with the calibration points that fixed it and the error
/// band its validation showed. data/catalog/factors.json; `aiadvise calibrate` writes overlays.
struct Factor {
  std::string id;
  std::string hardware;  ///< a compute kind (gpu, tpu, ...) or a hardware id
  std::string family;    ///< a family id, or "any"
  std::string regime;    ///< training, prefill, decode, inference, gbdt
  double value = 0;
  std::vector<std::string> points;  ///< ids of the calibration points it was fitted on
  std::optional<double> band;       ///< multiplicative error band from the validation set (1.3: within x1.3)
  std::string band_basis;           ///< how the band was derived, in words
  Provenance provenance;

  bool operator==(const Factor&) const = default;
};

/// The regimes a factor can describe.
const std::vector<std::string>& factor_regimes();

/// Where one entry came from, field by field (for `catalog show --origin`).
struct EntryOrigin {
  std::string file;                          ///< where the entry was first defined
  std::map<std::string, std::string> fields;  ///< field -> file that set its current value
};

struct CatalogMeta {
  std::string version;
  std::string as_of;
  std::string description;

  bool operator==(const CatalogMeta&) const = default;
};

/// The catalog's contents; Catalog adds the lookups.
struct CatalogData {
  CatalogMeta meta;
  std::vector<Family> families;  ///< each sorted by id
  std::vector<Model> models;
  std::vector<Hardware> hardware;
  std::vector<Instance> instances;
  std::vector<Service> services;
  std::vector<Factor> factors;
  /// Rules stay JSON here; rules/ compiles them.
  std::vector<util::Json> rules;

  /// Merged JSON of every entry by section and id, as shown by `catalog show`.
  std::map<std::string, std::map<std::string, util::Json>> raw;
  std::map<std::string, std::map<std::string, EntryOrigin>> origins;
  std::vector<std::string> files;  ///< every file read, in order
};

class Catalog : public CatalogData {
 public:
  Catalog() = default;
  // The indexes view the entries' strings: a copy indexes its own entries; a move keeps the
  // vectors' buffers, so the views stay valid.
  Catalog(const Catalog& other) : CatalogData(other) { index(); }
  Catalog& operator=(const Catalog& other) {
    if (this != &other) {
      CatalogData::operator=(other);
      index();
    }
    return *this;
  }
  Catalog(Catalog&&) = default;
  Catalog& operator=(Catalog&&) = default;
  ~Catalog() = default;

  const Family* family(std::string_view id) const;
  const Model* model(std::string_view id) const;
  const Hardware* hardware_by_id(std::string_view id) const;
  /// By id (aws-g5-xlarge) or by the cloud's own name (g5.xlarge); a name shared by two clouds
  /// is ambiguous and needs the id.
  const Instance* instance(std::string_view id_or_name) const;
  const Service* service(std::string_view id) const;
  const Factor* factor_by_id(std::string_view id) const;
  /// The factor for a kind of work on a piece of hardware: the most specific of (hardware id,
  /// family), (hardware id, any), (kind, family), (kind, any); null when none is given.
  const Factor* factor(const Hardware& h, std::string_view family, std::string_view regime) const;
  /// The same for a host CPU the catalog does not describe (kind cpu, no hardware id).
  const Factor* factor(ComputeKind kind, std::string_view family, std::string_view regime) const;

  /// Ids of a section, for "did you mean" and completion.
  std::vector<std::string> ids(std::string_view section) const;

  /// Every region some instance is offered in (or has as its home), sorted; with a cloud, that
  /// cloud's only. Computed on first use.
  const std::vector<std::string>& regions() const;
  std::vector<std::string> regions(Cloud cloud) const;
  /// The cloud whose instances are offered in `region`, if one is.
  std::optional<Cloud> cloud_of_region(std::string_view region) const;
  /// Works out now what the const accessors otherwise work out on first use (the regions), so that
  /// threads may then read the catalog at once: until the next index(), no const call writes it.
  void share() const;

  /// Rebuilds the lookup indexes after the vectors changed, and takes a new generation().
  void index();

  /// Names what the catalog holds now: unique in the process, and new after every index() (so after
  /// every change made the documented way) and in every copy. A move hands it on with the contents
  /// (the source takes a new one). What is worked out from a catalog and kept (scoring::Memo) is
  /// keyed on it, never on the catalog's address: one address can hold other contents later.
  std::uint64_t generation() const { return m_generation.value; }

 private:
  /// (key, position) sorted by key; the keys view the entries' own strings. A flat sorted vector
  /// rather than a map: one allocation per section, which matters when loading is most of a run.
  using Index = std::vector<std::pair<std::string_view, std::size_t>>;
  Index m_family, m_model, m_hardware, m_instance, m_instance_name, m_service, m_factor;
  /// (region, cloud) sorted and unique; built by regions() on first use, cleared by index().
  mutable std::shared_ptr<const std::vector<std::pair<std::string, Cloud>>> m_regions;
  mutable std::shared_ptr<const std::vector<std::string>> m_region_names;
  void build_regions() const;
  /// (hardware, factor position) sorted by hardware, catalog order within one, for factor().
  std::vector<std::pair<std::string, std::size_t>> m_factor_key;
  /// A copy takes a new generation; a move takes the source's, and gives the source a new one.
  struct Generation {
    static std::uint64_t next();
    std::uint64_t value = next();
    Generation() = default;
    Generation(const Generation&) : value(next()) {}
    Generation(Generation&& other) noexcept : value(other.value) { other.value = next(); }
    Generation& operator=(const Generation& other) {
      if (this != &other) value = next();
      return *this;
    }
    Generation& operator=(Generation&& other) noexcept {
      if (this != &other) {
        value = other.value;
        other.value = next();
      }
      return *this;
    }
  };
  Generation m_generation;
};

}  // namespace aiadvise::catalog
