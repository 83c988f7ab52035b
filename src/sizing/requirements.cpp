// What a workload needs, independent of hardware: memory of one replica and FLOPs.

#include <fmt/format.h>

#include <cmath>

#include "aiadvise/sizing/sizing.hpp"
#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/text.hpp"
#include "sizing/constants.hpp"

namespace aiadvise::sizing {

using catalog::Precision;
using catalog::SizingMethod;
using workload::Method;
using workload::Phase;
using workload::Workload;
namespace k = constants;

namespace {

struct Shape {
  double layers, hidden, heads, kv_heads, head_dim, ffn, decoder_layers;
};

// Transformer shape from the catalog, or derived from the parameter count with the aspect ratio
// of GPT-3 and Llama (hidden = 128 x layers; P = 12 x layers x hidden^2).
Shape transformer_shape(const Workload& w, const catalog::Model* m, Requirements& req) {
  const catalog::Architecture* a = m ? &m->architecture : nullptr;
  const bool params_overridden = m && m->params && w.params && std::fabs(*w.params - *m->params) > 0.01 * *m->params;
  if (a && a->layers && a->hidden_size && !params_overridden) {
    Shape s{};
    s.layers = *a->layers;
    s.hidden = *a->hidden_size;
    s.heads = a->attention_heads.value_or(std::max(1.0, s.hidden / 128));
    s.kv_heads = a->kv_heads.value_or(s.heads);
    s.head_dim = a->head_dim ? *a->head_dim : s.hidden / s.heads;
    s.ffn = a->intermediate_size ? *a->intermediate_size : 4 * s.hidden;
    s.decoder_layers = a->decoder_layers ? *a->decoder_layers : (a->encoder_layers ? s.layers / 2 : s.layers);
    return s;
  }
  const double p = w.active_params.value_or(*w.params);
  const double layers = std::max(1.0, std::round(std::cbrt(p / (12.0 * 128 * 128))));
  const double hidden = 128 * layers;
  req.notes.push_back(fmt::format("architecture derived from {} parameters: {} layers, hidden size {} (hidden = 128 x layers)",
                                  util::format_count(p), layers, hidden));
  return Shape{layers, hidden, hidden / 128, hidden / 128, 128, 4 * hidden,
               w.sizing == SizingMethod::transformer_encoder_decoder ? std::round(layers / 2) : layers};
}

double kv_bytes_per_value(Precision p) {
  // KV caches stay in 16 bits under weight-only int8/int4 quantisation; fp8 serving stores fp8.
  switch (p) {
    case Precision::fp32: case Precision::tf32: return 4;
    case Precision::fp8: return 1;
    default: return 2;
  }
}

double activation_bytes_per_value(Precision p) { return (p == Precision::fp32 || p == Precision::tf32) ? 4 : 2; }

double lora_params(const Shape& s) {
  // r x (in + out) for q, k, v, o and the three MLP projections, in every layer.
  const double attention = (s.hidden + s.heads * s.head_dim) + 2 * (s.hidden + s.kv_heads * s.head_dim) +
                           (s.heads * s.head_dim + s.hidden);
  const double mlp = 3 * (s.hidden + s.ffn);
  return k::k_lora_rank * s.layers * (attention + mlp);
}

void training_memory(const Workload& w, double params, double trainable, Requirements& req) {
  const double b = catalog::bytes_per_value(w.precision);
  const bool fp32 = w.precision == Precision::fp32 || w.precision == Precision::tf32;
  if (w.method == Method::qlora) {
    req.memory.weights_gib = params * (0.5 + k::k_qlora_constant_bits / 8) / k_gib;
    req.notes.push_back("QLoRA: frozen weights in 4-bit NF4 plus 0.127 bits per parameter of quantisation constants");
  } else {
    // fp8 training (Transformer Engine) keeps 16-bit weights; only the matmuls run in fp8.
    req.memory.weights_gib = params * (w.precision == Precision::fp8 ? 2 : b) / k_gib;
  }
  const double grad_bytes = fp32 ? 4 : 2;
  const double opt_bytes = fp32 ? k::k_optimizer_bytes_fp32 : k::k_optimizer_bytes_mixed;
  if (w.method == Method::full) {
    req.memory.gradients_gib = trainable * grad_bytes / k_gib;
    req.memory.optimizer_gib = trainable * opt_bytes / k_gib;
  } else {
    // Adapters are trained in 16 bits with Adam: weights, gradients and optimizer states.
    req.memory.weights_gib += trainable * 2 / k_gib;
    req.memory.gradients_gib = trainable * 2 / k_gib;
    req.memory.optimizer_gib = trainable * k::k_optimizer_bytes_mixed / k_gib;
  }
  req.notes.push_back(fmt::format("training with Adam: {} bytes per trainable parameter (weights {}, gradients {}, optimizer {})",
                                  (w.method == Method::full ? (fp32 ? 4 : 2) : 2) + grad_bytes + opt_bytes,
                                  w.method == Method::full ? (fp32 ? 4 : 2) : 2, grad_bytes, opt_bytes));
}

void transformer(const Workload& w, const catalog::Model* m, Requirements& req) {
  const Shape s = transformer_shape(w, m, req);
  const double p_total = *w.params;
  const double p_active = w.active_params.value_or(p_total);
  const double in = w.input_tokens.value_or(512);
  const double out = w.is_llm() || w.sizing == SizingMethod::transformer_encoder_decoder ? w.output_tokens.value_or(0) : 0;
  const double context = w.trains() ? in : in + out;
  const double attn_width = s.heads * s.head_dim;
  req.unit = "token";
  req.units_per_request = w.trains() ? in : (w.is_llm() ? out : in);
  // Forward FLOPs per token: 2 per active parameter, plus attention over on average half the
  // context (causal) or all of it (encoder): 2 x 2 x layers x context x attention width.
  const double attended = w.sizing == SizingMethod::transformer_encoder ? context : context / 2;
  req.forward_flops_per_unit = 2 * p_active + 4 * s.layers * attended * attn_width;
  req.notes.push_back(fmt::format("forward FLOPs per token = 2 x {} active parameters + 4 x {} layers x {:.0f} attended tokens x {:.0f}",
                                  util::format_count(p_active), s.layers, attended, attn_width));
  const double b_act = activation_bytes_per_value(w.precision);
  if (w.is_llm() || w.sizing == SizingMethod::transformer_encoder_decoder) {
    req.kv_bytes_per_token = 2 * s.decoder_layers * s.kv_heads * s.head_dim * kv_bytes_per_value(w.precision);
    req.notes.push_back(fmt::format("KV cache per token = 2 x {} layers x {} KV heads x {} head dim x {} bytes = {:.0f} bytes",
                                    s.decoder_layers, s.kv_heads, s.head_dim, kv_bytes_per_value(w.precision),
                                    req.kv_bytes_per_token));
  }
  if (w.trains()) {
    const double trainable = w.method == Method::full ? p_total : lora_params(s);
    req.trainable_params = trainable;
    if (w.method != Method::full) {
      req.notes.push_back(fmt::format("LoRA rank {}: {} trainable adapter parameters", k::k_lora_rank,
                                      util::format_count(trainable)));
    }
    training_memory(w, p_total, trainable, req);
    const double per_token_layer = w.gradient_checkpointing ? k::k_act_checkpointed_bytes_per_token_hidden_layer
                                                            : k::k_act_bytes_per_token_hidden_layer;
    req.activation_bytes_per_unit = per_token_layer * in * s.hidden * s.layers * (b_act / 2);
    req.reference_batch = w.batch_size.value_or(1);
    req.memory.activations_gib = req.activation_bytes_per_unit * req.reference_batch / k_gib;
    // Full fine-tuning and training: forward + backward (2x forward); LoRA skips weight gradients
    // of the frozen model (forward + activation gradients: 2x forward); checkpointing recomputes
    // the forward once more.
    const double passes = (w.method == Method::full ? 3.0 : 2.0) + (w.gradient_checkpointing ? 1.0 : 0.0);
    const double tokens = *w.dataset_tokens * w.epochs.value_or(1);
    req.training_flops = passes * req.forward_flops_per_unit * tokens;
    req.notes.push_back(fmt::format("training FLOPs = {} x forward FLOPs per token x {} tokens (6 x params x tokens for a full pass)",
                                    passes, util::format_count(tokens)));
  } else {
    req.memory.weights_gib = p_total * catalog::bytes_per_value(w.precision) / k_gib;
    req.reference_batch = w.batch_size.value_or(1);
    req.memory.kv_cache_gib = req.kv_bytes_per_token * context * req.reference_batch / k_gib;
    req.activation_bytes_per_unit = in * s.hidden * (k::k_infer_act_factor * b_act + 2);
    req.memory.activations_gib = req.activation_bytes_per_unit * req.reference_batch / k_gib;
  }
}

double dense_forward_flops(const Workload& w, const catalog::Model* m, const catalog::Family* f, Requirements& req) {
  double gflops = 0;
  if (m && m->forward_gflops_per_sample) {
    gflops = *m->forward_gflops_per_sample;
  } else if (f && f->typical_forward_gflops_per_sample && f->typical_params && w.params) {
    gflops = *f->typical_forward_gflops_per_sample * (*w.params / *f->typical_params);
    req.notes.push_back(fmt::format("forward FLOPs per sample scaled from the family's typical model by parameter count: {:.3g} GFLOPs",
                                    gflops));
  }
  if (w.family == "diffusion" && gflops > 0) {
    const double steps = w.denoising_steps.value_or(50);
    req.notes.push_back(fmt::format("diffusion: {:.3g} GFLOPs per denoising step x {} steps x {} (classifier-free guidance)",
                                    gflops, steps, k::k_cfg_factor));
    if (!w.trains()) gflops *= steps * k::k_cfg_factor;  // training runs one denoising step per sample
  }
  return gflops * 1e9;
}

void dense(const Workload& w, const catalog::Model* m, const catalog::Family* f, Requirements& req) {
  const double params = w.params.value_or(0);
  req.unit = w.family == "diffusion" || w.family == "gan" ? "image" : "sample";
  req.forward_flops_per_unit = dense_forward_flops(w, m, f, req);
  // Activations follow one forward pass (one denoising step), not the whole sample.
  const double pass_flops = w.family == "diffusion" && !w.trains()
                                ? req.forward_flops_per_unit / (w.denoising_steps.value_or(50) * k::k_cfg_factor)
                                : req.forward_flops_per_unit;
  const double b = activation_bytes_per_value(w.precision);
  if (m && m->activation_mib_per_sample) {
    req.activation_bytes_per_unit = *m->activation_mib_per_sample * 1024 * 1024;
  } else {
    req.activation_bytes_per_unit = k::k_dense_act_bytes_per_flop * pass_flops * (b / 2);
    if (!w.trains()) req.activation_bytes_per_unit *= k::k_dense_infer_act_fraction;
  }
  req.reference_batch = w.batch_size.value_or(1);
  req.memory.activations_gib = req.activation_bytes_per_unit * req.reference_batch / k_gib;
  if (w.trains()) {
    req.trainable_params = params;
    training_memory(w, params, params, req);
    const double samples = *w.dataset_samples * w.epochs.value_or(1);
    req.training_flops = 3 * req.forward_flops_per_unit * samples;
    req.notes.push_back(fmt::format("training FLOPs = 3 x forward FLOPs per sample x {} samples", util::format_count(samples)));
  } else {
    req.memory.weights_gib = params * catalog::bytes_per_value(w.precision) / k_gib;
  }
}

void classical(const Workload& w, Requirements& req) {
  const double rows = w.dataset_samples.value_or(1e6);
  const double features = w.features.value_or(100);
  const double iterations = w.iterations.value_or(100);
  req.unit = "row";
  // The data in memory: 4-byte values plus a 1-byte quantised copy (histogram GBDT) per cell.
  const double cells = rows * features;
  if (w.trains()) req.memory.activations_gib = cells * 5 / k_gib;
  if (w.family == "classical-trees") {
    req.forward_flops_per_unit = iterations * k::k_tree_depth;  // comparisons per row
    req.training_flops = cells * iterations;                     // histogram cell-rounds
    req.notes.push_back(fmt::format("gradient-boosted trees: {} rows x {} features x {} rounds of histogram building",
                                    util::format_count(rows), features, iterations));
  } else if (w.family == "classical-clustering") {
    req.forward_flops_per_unit = 3 * features * k::k_kmeans_clusters;
    req.training_flops = 3 * cells * k::k_kmeans_clusters * iterations;
    req.notes.push_back(fmt::format("k-means: 3 x rows x features x {} clusters x {} iterations", k::k_kmeans_clusters, iterations));
  } else {
    req.forward_flops_per_unit = 2 * features;
    req.training_flops = 2 * cells * iterations;
    req.notes.push_back(fmt::format("linear model: 2 x rows x features x {} iterations", iterations));
  }
  if (w.phase == Phase::inference) req.memory.activations_gib = std::min(cells, features * 1e4) * 4 / k_gib;
  req.memory.weights_gib = (w.family == "classical-trees" ? iterations * 2 * std::pow(2.0, k::k_tree_depth) * 16 : features * 8) / k_gib;
}

}  // namespace

Requirements requirements(const Workload& w, const catalog::Catalog& catalog) {
  Requirements req;
  const catalog::Model* m = w.model ? catalog.model(*w.model) : nullptr;
  const catalog::Family* f = catalog.family(w.family);
  if (w.trains() && w.method == Method::full &&
      (w.precision == Precision::int8 || w.precision == Precision::int4)) {
    throw util::InputError(std::vector<util::Diagnostic>{util::Diagnostic{
        "", 0, 0, "precision",
        fmt::format("{} of all weights in {} is not supported; use bf16, fp16, fp32 or fp8, or --method qlora",
                    workload::to_string(w.phase), catalog::to_string(w.precision))}});
  }
  if (w.is_transformer()) {
    transformer(w, m, req);
  } else if (w.sizing == SizingMethod::classical) {
    classical(w, req);
  } else {
    dense(w, m, f, req);
  }
  const double allocated = req.memory.weights_gib + req.memory.kv_cache_gib + req.memory.activations_gib +
                           req.memory.gradients_gib + req.memory.optimizer_gib;
  req.memory.overhead_gib = k::k_fragmentation * allocated;
  return req;
}

}  // namespace aiadvise::sizing
