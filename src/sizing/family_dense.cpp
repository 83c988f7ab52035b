// One network run once per sample (CNNs, detectors, small MLPs, a GAN or denoiser described only by
// its family): FLOPs per sample from the model (scaled to the requested resolution) or the
// family's typical model scaled by parameters; stored activations from the FLOPs.

#include <fmt/format.h>

#include <cmath>

#include "sizing/constants.hpp"
#include "sizing/family.hpp"

namespace aiadvise::sizing::family {

using workload::Phase;
namespace k = constants;

void dense_activations(const Input& in, double trained_forward_flops, Requirements& req) {
  const double b = activation_bytes(in.w.precision) / 2;
  if (in.model && in.model->activation_mib_per_sample) {
    req.activation_bytes_per_sample = *in.model->activation_mib_per_sample * 1024 * 1024 * resolution_scale(in);
  } else {
    req.activation_bytes_per_sample = k::k_dense_act_bytes_per_flop * trained_forward_flops * b;
  }
  req.activation_bytes_per_sample_checkpointed = req.activation_bytes_per_sample * k::k_dense_checkpointed_fraction;
  // A training step also streams its stored activations: written forward, read and written again by
  // normalisation, activation functions and residual adds, read backward with gradients of the same
  // size. Where a "training-memory" factor is fitted, the step takes at least that traffic's time
  // (a roofline); it is what keeps mixed precision from running at the tensor cores' peak.
  req.training_bytes_per_sample = req.activation_bytes_per_sample;
  req.training_bytes_regime = "training-memory";
}

namespace {

double forward_flops(const Input& in, Requirements& req) {
  const workload::Workload& w = in.w;
  double gflops = 0;
  if (in.model && in.model->forward_gflops_per_sample) {
    gflops = *in.model->forward_gflops_per_sample * resolution_scale(in);
    if (resolution_scale(in) != 1) {
      req.notes.push_back(fmt::format("{} GFLOPs at {} px scaled to {} px: {:.4g} GFLOPs", *in.model->forward_gflops_per_sample,
                                      *in.model->native_resolution, *w.resolution, gflops));
    }
  } else if (in.family && in.family->typical_forward_gflops_per_sample && in.family->typical_params && w.params) {
    gflops = *in.family->typical_forward_gflops_per_sample * (*w.params / *in.family->typical_params);
    req.notes.push_back(fmt::format("forward FLOPs per sample scaled from the family's typical model by parameter count: {:.3g} GFLOPs",
                                    gflops));
  }
  return gflops * 1e9;
}

}  // namespace

void dense(const Input& in, Requirements& req) {
  const workload::Workload& w = in.w;
  const double params = w.params.value_or(0);
  const bool diffusion = w.family == "diffusion";
  req.unit = diffusion || w.family == "gan" ? "image" : "sample";
  const double pass = forward_flops(in, req);
  gan_arithmetic(w, req);
  const double wb = weight_bytes_per_param(w.precision);
  req.forward_flops_per_unit = pass;
  if (w.trains()) {
    training_states(w, params, params, req);
    dense_activations(in, pass, req);
    // A denoiser trains on one noised step per sample; a network trains on one pass.
    req.training_flops_per_sample = 3 * pass;
    req.recompute_flops_per_sample = pass;
    req.samples = w.dataset_samples.value_or(1e6) * w.epochs.value_or(1);  // defaulted in workload::normalise
    req.global_batch = w.batch_size.value_or(256);
    if (!w.batch_size) req.assumed.push_back("global batch: 256 samples (the ResNet-50 ImageNet reference batch)");
    req.checkpointing = w.gradient_checkpointing.value_or(false);
    req.checkpointing_allowed = w.gradient_checkpointing.value_or(true);
    req.notes.push_back(fmt::format("training FLOPs = 3 x {:.4g} GFLOPs per sample x {} samples", pass / 1e9, count(req.samples)));
    return;
  }
  req.weight_bytes = params * wb;
  // One layer's activations are live at a time in inference.
  req.workspace_bytes_per_sequence = k::k_dense_act_bytes_per_flop * k::k_dense_infer_act_fraction * pass * activation_bytes(w.precision) / 2;
  if (diffusion) {
    const double steps = w.denoising_steps.value_or(50);
    req.stages = {Stage{"denoiser", steps, pass, req.weight_bytes, 0, k_guidance_copies, 1, false, 0, 0, 0}};
    req.forward_flops_per_unit = pass * steps * k_guidance_copies;
    req.notes.push_back(fmt::format("diffusion: {:.3g} GFLOPs per denoising step x {} steps x {} (classifier-free guidance); text "
                                    "encoder and VAE not described for this model",
                                    pass / 1e9, steps, k_guidance_copies));
    return;
  }
  req.stages = {Stage{"forward", 1, pass, req.weight_bytes, 0, 1, 1, false, 0, 0, 0}};
}

}  // namespace aiadvise::sizing::family
