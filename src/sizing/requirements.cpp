// What a workload needs, independent of hardware: the family's model fills the shape of the work
// (family_*.cpp); this file dispatches to it and adds what every family shares.

#include <fmt/format.h>

#include <cmath>

#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/text.hpp"
#include "sizing/constants.hpp"
#include "sizing/family.hpp"

namespace aiadvise::sizing {

using catalog::Precision;
using catalog::SizingMethod;
using workload::Method;
using workload::Phase;
using workload::Workload;
namespace k = constants;

namespace family {

double activation_bytes(Precision p) { return (p == Precision::fp32 || p == Precision::tf32) ? 4 : 2; }

double kv_bytes(Precision p) {
  // KV caches stay in 16 bits under weight-only int8/int4 quantisation; fp8 serving stores fp8.
  switch (p) {
    case Precision::fp32: case Precision::tf32: return 4;
    case Precision::fp8: return 1;
    default: return 2;
  }
}

double weight_bytes_per_param(Precision p) { return catalog::bytes_per_value(p); }

std::string count(double n) { return util::format_count(n); }

double resolution(const Input& in) {
  if (in.w.resolution) return *in.w.resolution;
  if (in.model && in.model->native_resolution) return *in.model->native_resolution;
  return 0;
}

double resolution_scale(const Input& in) {
  // Convolutions and attention over latent pixels scale with the pixel count (attention faster; not
  // modelled): FLOPs and activations at side r are (r / native)^2 of the native figures. A GAN is
  // built for its resolution: its high-resolution blocks have fewer channels (StyleGAN2 halves them
  // per doubling), so its work grows about linearly with the side (the StyleGAN2-ADA time at 512 px
  // is 0.48 of that at 1024 px; its rows below 512 px use half the channels and are not config F;
  // StyleGAN2 in TensorFlow at 256 px takes 0.49 of its 1024 px time, which this rule puts at 0.25:
  // docs/sizing.md).
  if (!in.w.resolution || !in.model || !in.model->native_resolution) return 1;
  const double ratio = *in.w.resolution / *in.model->native_resolution;
  return in.w.family == "gan" ? ratio : ratio * ratio;
}

void training_states(const Workload& w, double params, double trainable, Requirements& req) {
  const bool fp32 = w.precision == Precision::fp32 || w.precision == Precision::tf32;
  // LoRA and QLoRA add their adapters to a frozen model; otherwise the trained part is part of it
  // (all of it, or a diffusion pipeline's denoiser).
  const double frozen = w.method == Method::full ? std::max(0.0, params - trainable) : params;
  double frozen_bytes = 0;
  if (w.method == Method::qlora) {
    frozen_bytes = frozen * (0.5 + k::k_qlora_constant_bits / 8);
    req.notes.push_back("QLoRA: frozen weights in 4-bit NF4 plus 0.127 bits per parameter of quantisation constants");
  } else {
    // fp8 training (Transformer Engine) keeps 16-bit weights; only the matmuls run in fp8.
    frozen_bytes = frozen * (fp32 ? 4 : 2);
  }
  const double weight_b = fp32 ? 4 : 2, grad_b = fp32 ? 4 : 2;
  const double opt_b = fp32 ? k::k_optimizer_bytes_fp32 : k::k_optimizer_bytes_mixed;
  req.trainable_params = trainable;
  req.memory.weights_gib = (frozen_bytes + trainable * weight_b) / k_gib;
  req.memory.gradients_gib = trainable * grad_b / k_gib;
  req.memory.optimizer_gib = trainable * opt_b / k_gib;
  req.training_state_bytes = frozen_bytes + trainable * (weight_b + grad_b + opt_b);
  req.notes.push_back(fmt::format("training with Adam: {} bytes per trainable parameter (weights {}, gradients {}, optimizer {}){}",
                                  weight_b + grad_b + opt_b, weight_b, grad_b, opt_b,
                                  frozen > 0 ? fmt::format("; {} frozen parameters", count(frozen)) : std::string()));
}

Model model_for(const Workload& w, const catalog::Model* m) {
  if (w.sizing == SizingMethod::classical) return classical;
  if (m && !m->components.empty()) return components;
  if (w.is_transformer()) return transformer;
  if (w.family == "rnn") return rnn;
  if (w.family == "recommender") return recommender;
  return dense;
}

void gan_arithmetic(const Workload& w, Requirements& req) {
  // StyleGAN2-ADA and StyleGAN3 run fp16 only in the four highest-resolution layers, whose 32-256
  // channels leave tensor cores mostly idle, and turn TF32 off: the published times follow the
  // fp32 peaks (StyleGAN2 in TensorFlow, all fp32, is 1.5x slower on the same V100; an A100 is 1.2x
  // a V100, the ratio of their fp32 peaks, not the 2.5x of their tensor peaks).
  if (w.family != "gan" || w.precision == Precision::fp32) return;
  req.arithmetic = Precision::fp32;
  req.notes.push_back(fmt::format("GAN arithmetic at the fp32 rate: {} covers only its highest-resolution layers, too narrow for "
                                  "tensor cores (StyleGAN2-ADA timings)",
                                  catalog::to_string(w.precision)));
}

}  // namespace family

Requirements requirements(const Workload& w, const catalog::Catalog& catalog) {
  if (w.trains() && w.method == Method::full && (w.precision == Precision::int8 || w.precision == Precision::int4)) {
    throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{
        "", 0, 0, "precision",
        fmt::format("{} of all weights in {} is not supported; use bf16, fp16, fp32 or fp8, or --method qlora",
                    workload::to_string(w.phase), catalog::to_string(w.precision))}});
  }
  Requirements req;
  const family::Input in{w, w.model ? catalog.model(*w.model) : nullptr, catalog.family(w.family)};
  family::model_for(w, in.model)(in, req);

  if (w.trains()) {
    // The memory lines show one replica at the reference batch; estimate() shards and chooses the
    // micro-batch per device.
    req.memory.activations_gib = (req.checkpointing ? req.activation_bytes_per_sample_checkpointed : req.activation_bytes_per_sample) *
                                 req.reference_batch / k_gib;
    req.training_flops = req.training_flops_per_sample * req.samples;
  } else {
    req.reference_batch = w.batch_size.value_or(1);
    req.memory.weights_gib = req.weight_bytes / k_gib;
    req.memory.kv_cache_gib = req.state_bytes_per_sequence * req.reference_batch / k_gib;
    req.memory.activations_gib = (req.workspace_bytes + req.workspace_bytes_per_sequence * req.reference_batch) / k_gib;
  }
  const double allocated = req.memory.weights_gib + req.memory.kv_cache_gib + req.memory.activations_gib +
                           req.memory.gradients_gib + req.memory.optimizer_gib;
  req.memory.overhead_gib = k::k_fragmentation * allocated;
  return req;
}

}  // namespace aiadvise::sizing
