#pragma once
// One sizing model per family, behind one interface: each fills the hardware-independent
// Requirements of a workload from the real shape of its model (layers and heads, denoiser steps and
// resolution, recurrent cells, trees and rows). requirements.cpp picks the model for the workload's
// family and adds what every family shares (training states, the runtime overhead).

#include <string>

#include "aiadvise/sizing/sizing.hpp"

namespace aiadvise::sizing::family {

struct Input {
  const workload::Workload& w;
  const catalog::Model* model;    ///< null when the workload names a family only
  const catalog::Family* family;  ///< the workload's family
};

/// Fills `req` for the workload (all of Requirements but the shared parts named above).
using Model = void (*)(const Input& in, Requirements& req);

void transformer(const Input& in, Requirements& req);  ///< decoders, MoE, encoders, encoder-decoders (family_transformer.cpp)
void components(const Input& in, Requirements& req);   ///< models of several networks: diffusion pipelines, GANs, CLIP (family_components.cpp)
void rnn(const Input& in, Requirements& req);          ///< LSTM encoder-decoders and forecasters (family_rnn.cpp)
void dense(const Input& in, Requirements& req);        ///< one network run once per sample: CNNs, small networks (family_dense.cpp)

/// Classifier-free guidance runs the denoiser on two latents per image (diffusers' default
/// guidance_scale 7.5 > 1); denoising steps per image from the workload.
inline constexpr double k_guidance_copies = 2;

/// Stored activations of a dense network's training pass per sample, from its forward FLOPs, with
/// and without checkpointing (constants.hpp: k_dense_act_bytes_per_flop).
void dense_activations(const Input& in, double trained_forward_flops, Requirements& req);
void recommender(const Input& in, Requirements& req);  ///< embedding tables plus a dense network (family_recommender.cpp)
void classical(const Input& in, Requirements& req);    ///< trees, clustering, linear models (family_classical.cpp)

/// The model for a workload's family (or, for a model made of several networks, its components).
Model model_for(const workload::Workload& w, const catalog::Model* m);

// --- Shared by the family models (requirements.cpp) ----------------------------------------------

/// Bytes per value of activations and KV caches at a precision (16-bit unless fp32; fp8 KV stays 8-bit).
double activation_bytes(catalog::Precision p);
double kv_bytes(catalog::Precision p);
/// Bytes per weight as stored for serving at a precision.
double weight_bytes_per_param(catalog::Precision p);

/// Training states of `trainable` parameters (Adam, mixed precision) plus the frozen rest of
/// `params`, with the notes; sets training_state_bytes, trainable_params and the memory lines.
void training_states(const workload::Workload& w, double params, double trainable, Requirements& req);

/// Image side in pixels the workload runs at, and the FLOPs scale against the model's native side.
double resolution(const Input& in);
double resolution_scale(const Input& in);

/// A GAN of the StyleGAN kind computes at the fp32 rate whatever its stated precision: sets
/// req.arithmetic with the note.
void gan_arithmetic(const workload::Workload& w, Requirements& req);

/// A number in words for notes ("8.03B").
std::string count(double n);

}  // namespace aiadvise::sizing::family
