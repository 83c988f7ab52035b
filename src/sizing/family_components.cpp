// Models made of several networks, each on its own schedule: a latent diffusion pipeline (text
// encoder once, denoiser once per step on two latents with classifier-free guidance, VAE decoder
// once), a GAN (generator; in training also the discriminator on real and generated images), CLIP
// (the image tower; the text tower in training). FLOPs per component are at the model's native
// resolution and scale with the pixel count.

#include <fmt/format.h>

#include <cmath>

#include "sizing/constants.hpp"
#include "sizing/family.hpp"

namespace aiadvise::sizing::family {

using catalog::Component;
using workload::Phase;
namespace k = constants;

namespace {

bool used(const Component& c, bool training) { return c.used_in == "both" || c.used_in == (training ? "training" : "inference"); }

}  // namespace

void components(const Input& in, Requirements& req) {
  const workload::Workload& w = in.w;
  const catalog::Model& m = *in.model;
  const bool training = w.trains();
  const bool diffusion = w.family == "diffusion";
  const bool gan = w.family == "gan";
  const double scale = resolution_scale(in);
  const double steps = w.denoising_steps.value_or(50);
  const double wb = weight_bytes_per_param(w.precision);
  req.unit = diffusion || gan ? "image" : "sample";
  if (scale != 1) {
    req.notes.push_back(fmt::format("FLOPs given at {} px, run at {} px: x{:.3g}", *m.native_resolution, *w.resolution, scale));
  }

  double params_used = 0, trainable = 0, trained_forward = 0, frozen_forward = 0, per_sample = 0;
  std::vector<std::string> parts;
  for (const Component& c : m.components) {
    if (!used(c, training)) continue;
    const double flops = c.gflops.value_or(0) * 1e9 * scale;
    const double params = c.params.value_or(0);
    params_used += params;
    if (training) {
      // A GAN's discriminator sees a real and a generated image per sample.
      const double passes = gan && c.name == "discriminator" ? 2 : 1;
      if (c.trainable) {
        trainable += params;
        trained_forward += passes * flops;
      } else {
        frozen_forward += passes * flops;
      }
      parts.push_back(fmt::format("{} {:.4g} GFLOPs{}{}", c.name, flops / 1e9, passes > 1 ? " x 2" : "", c.trainable ? "" : " (frozen)"));
      continue;
    }
    // Inference: one stage per component, in the order the catalog lists them.
    Stage s{c.name, 1, flops, params * wb, 0, 1, 1, false, 0, 0, 0};
    if (c.runs == "per-step") {
      s.runs = steps;
      if (diffusion) s.copies = k_guidance_copies;
    }
    per_sample += flops * s.runs * s.copies;
    req.stages.push_back(s);
    parts.push_back(fmt::format("{} {:.4g} GFLOPs x {}", c.name, flops / 1e9, s.runs * s.copies));
  }
  req.notes.push_back(fmt::format("{}: {}", m.id, fmt::join(parts, "; ")));
  gan_arithmetic(w, req);

  if (training) {
    training_states(w, params_used, trainable, req);
    dense_activations(in, trained_forward, req);
    // Trained networks run forward and backward (3x forward); frozen ones only forward.
    req.training_flops_per_sample = 3 * trained_forward + frozen_forward;
    req.recompute_flops_per_sample = trained_forward;
    req.forward_flops_per_unit = trained_forward + frozen_forward;
    // A model of components (CLIP, diffusion, GAN) trains on samples (image-text pairs, images):
    // a transformer family's workload may carry only dataset_tokens.
    if (!w.dataset_samples) req.assumed.push_back("dataset_samples: 1M (default: this model trains on samples, not tokens)");
    req.samples = w.dataset_samples.value_or(1e6) * w.epochs.value_or(1);
    req.global_batch = w.batch_size.value_or(gan ? 32 : 64);
    if (!w.batch_size) {
      req.assumed.push_back(gan ? "global batch: 32 images (StyleGAN2-ADA's default at 1024 px on 8 GPUs)"
                                : "global batch: 64 samples (a common fine-tuning batch)");
    }
    req.checkpointing = w.gradient_checkpointing.value_or(false);
    req.checkpointing_allowed = w.gradient_checkpointing.value_or(true);
    req.notes.push_back(fmt::format("training FLOPs = 3 x trained forward ({:.4g} GFLOPs) + frozen forward ({:.4g} GFLOPs) per sample x {} samples",
                                    trained_forward / 1e9, frozen_forward / 1e9, count(req.samples)));
    return;
  }
  req.weight_bytes = params_used * wb;
  req.forward_flops_per_unit = per_sample;
  double largest = 0;
  for (const auto& s : req.stages) largest = std::max(largest, s.flops * s.copies);
  const double fraction = diffusion ? k::k_denoiser_infer_act_fraction : k::k_dense_infer_act_fraction;
  req.workspace_bytes_per_sequence = k::k_dense_act_bytes_per_flop * fraction * largest * activation_bytes(w.precision) / 2;
}

}  // namespace aiadvise::sizing::family
