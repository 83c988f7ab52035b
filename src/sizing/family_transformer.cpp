// Transformers from their real shape: decoder LLMs (dense and mixture of experts) as a prefill and
// one decode pass per output token over a growing KV cache; encoders (BERT, ViT, CLIP's image tower
// through components) as one pass over their positions; encoder-decoders (T5, Whisper) as one
// encoder pass over the input (1,500 audio positions for Whisper) and a decode with cross-attention.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sizing/constants.hpp"
#include "sizing/family.hpp"

namespace aiadvise::sizing::family {

using catalog::SizingMethod;
using workload::Method;
using workload::Phase;
namespace k = constants;

namespace {

struct Shape {
  double layers, hidden, heads, kv_heads, head_dim, ffn, vocab, encoder_layers, decoder_layers, experts, experts_per_token;
  bool heads_known = false;  ///< the attention heads come from the model's configuration, not from its size
};

// The shape from the catalog, or derived from the parameter count with the aspect ratio of GPT-3
// and Llama (hidden = 128 x layers; P = 12 x layers x hidden^2).
Shape shape_of(const Input& in, Requirements& req) {
  const workload::Workload& w = in.w;
  const catalog::Architecture* a = in.model ? &in.model->architecture : nullptr;
  const bool params_overridden =
      in.model && in.model->params && w.params && std::fabs(*w.params - *in.model->params) > 0.01 * *in.model->params;
  Shape s{};
  if (a && a->layers && a->hidden_size && !params_overridden) {
    s.layers = *a->layers;
    s.hidden = *a->hidden_size;
    s.heads = a->attention_heads.value_or(std::max(1.0, s.hidden / 128));
    s.kv_heads = a->kv_heads.value_or(s.heads);
    s.head_dim = a->head_dim ? *a->head_dim : s.hidden / s.heads;
    s.ffn = a->intermediate_size ? *a->intermediate_size : 4 * s.hidden;
    s.vocab = a->vocab_size.value_or(32000);
    s.encoder_layers = a->encoder_layers.value_or(w.sizing == SizingMethod::transformer_encoder_decoder ? s.layers : 0);
    s.decoder_layers = a->decoder_layers.value_or(s.layers);
    s.experts = a->experts.value_or(0);
    s.experts_per_token = a->experts_per_token.value_or(0);
    s.heads_known = a->attention_heads.has_value();
    return s;
  }
  const double p = w.active_params.value_or(*w.params);
  const double layers = std::max(1.0, std::round(std::cbrt(p / (12.0 * 128 * 128))));
  const double hidden = 128 * layers;
  req.notes.push_back(fmt::format("architecture derived from {} parameters: {} layers, hidden size {} (hidden = 128 x layers)",
                                  count(p), layers, hidden));
  s = Shape{layers, hidden, hidden / 128, hidden / 128, 128, 4 * hidden, 32000, 0, layers, 0, 0};
  if (w.sizing == SizingMethod::transformer_encoder_decoder) {
    s.encoder_layers = std::max(1.0, std::round(layers / 2));
    s.decoder_layers = s.encoder_layers;
  }
  return s;
}

double lora_params(const Shape& s) {
  // r x (in + out) for q, k, v, o and the three MLP projections, in every layer.
  const double attention = (s.hidden + s.heads * s.head_dim) + 2 * (s.hidden + s.kv_heads * s.head_dim) +
                           (s.heads * s.head_dim + s.hidden);
  const double mlp = 3 * (s.hidden + s.ffn);
  return k::k_lora_rank * std::max(s.layers, s.encoder_layers + s.decoder_layers) * (attention + mlp);
}

// Encoder-decoders: the share of the parameters in the encoder, from the layers' shapes (an encoder
// layer has self-attention and an MLP; a decoder layer adds cross-attention).
double encoder_share(const Shape& s) {
  const double r = s.ffn / s.hidden;
  const double enc = s.encoder_layers * (4 + 2 * r), dec = s.decoder_layers * (8 + 2 * r);
  return enc / std::max(1.0, enc + dec);
}

void training(const Input& in, const Shape& s, double per_token, double positions, double out_positions,
              double dec_per_token, Requirements& req) {
  const workload::Workload& w = in.w;
  const double params = *w.params;
  const double trainable = w.method == Method::full ? params : lora_params(s);
  if (w.method != Method::full) {
    req.notes.push_back(fmt::format("LoRA rank {}: {} trainable adapter parameters", k::k_lora_rank, count(trainable)));
  }
  training_states(w, params, trainable, req);
  const double b = activation_bytes(w.precision) / 2;
  const double tokens = positions + out_positions;
  const double layers = std::max(s.layers, s.encoder_layers + s.decoder_layers);
  // Language-model heads keep fp32 logits for the loss; an encoder's classification head does not.
  const bool lm_head = w.is_llm() || w.sizing == SizingMethod::transformer_encoder_decoder;
  const double logits = lm_head ? (out_positions > 0 ? out_positions : positions) * s.vocab * k::k_logit_bytes : 0;
  req.activation_bytes_per_sample = k::k_act_bytes_per_token_hidden_layer * tokens * s.hidden * layers * b + logits;
  req.activation_bytes_per_sample_checkpointed = k::k_act_checkpointed_bytes_per_token_hidden_layer * tokens * s.hidden * layers * b +
                                                 k::k_act_bytes_per_token_hidden_layer * positions * s.hidden * b + logits;
  // Full training: forward + backward (2x forward); LoRA and QLoRA skip the weight gradients of the
  // frozen model (forward + activation gradients: 2x forward); checkpointing recomputes the forward.
  const double forward = positions * per_token + out_positions * dec_per_token;
  const double passes = w.method == Method::full ? 3.0 : 2.0;
  req.training_flops_per_sample = passes * forward;
  req.recompute_flops_per_sample = forward;
  req.samples = w.dataset_tokens.value_or(1e8) * w.epochs.value_or(1) / std::max(1.0, positions);  // defaulted in workload::normalise
  req.global_batch = w.batch_size.value_or(w.phase == Phase::training ? std::max(1.0, std::round(4e6 / positions)) : 64);
  if (!w.batch_size) {
    req.assumed.push_back(fmt::format("global batch: {} sequences ({})", req.global_batch,
                                      w.phase == Phase::training ? "about 4M tokens per step, as Llama pretraining" : "a common fine-tuning batch"));
  }
  req.checkpointing = w.gradient_checkpointing.value_or(w.method != Method::full);
  req.checkpointing_allowed = w.gradient_checkpointing.value_or(true);
  if (!w.gradient_checkpointing && w.method != Method::full) {
    req.assumed.push_back("gradient checkpointing: on (standard for LoRA and QLoRA fine-tuning)");
  }
  req.reference_batch = 1;
  req.notes.push_back(fmt::format("training FLOPs = {} x forward FLOPs ({} per sequence of {} tokens) x {} sequences", passes,
                                  count(forward), tokens, count(req.samples)));
}

}  // namespace

void transformer(const Input& in, Requirements& req) {
  const workload::Workload& w = in.w;
  const Shape s = shape_of(in, req);
  const double p_total = *w.params;
  const double p_active = w.active_params.value_or(p_total);
  const double aw = s.heads * s.head_dim;
  const double wb = weight_bytes_per_param(w.precision);
  const double kv_per_token_layer = 2 * s.kv_heads * s.head_dim * kv_bytes(w.precision);
  req.layers = std::max(s.layers, s.encoder_layers + s.decoder_layers);
  req.hidden = s.hidden;
  if (s.heads_known) {
    req.attention_heads = s.heads;
    req.kv_heads = s.kv_heads;
  }
  req.unit = "token";

  // Encoder-decoders split their parameters between the stacks; the others use all of them.
  const bool enc_dec = w.sizing == SizingMethod::transformer_encoder_decoder;
  const double enc_share = enc_dec ? encoder_share(s) : 0;
  // Inputs of fixed size (image patches, 30 s of audio) have fixed positions; text has its tokens.
  const double positions = in.model && in.model->input_positions ? *in.model->input_positions : w.input_tokens.value_or(512);
  if (in.model && in.model->input_positions && w.input_tokens && *w.input_tokens != positions) {
    req.notes.push_back(fmt::format("{} takes {} input positions per input (input_tokens {} does not change that)", in.model->id,
                                    positions, *w.input_tokens));
  }

  if (w.is_llm()) {
    const double in_tokens = positions, out = w.output_tokens.value_or(w.trains() ? 0 : 256);
    auto per_token = [&](double attended) { return 2 * p_active + 4 * s.layers * attended * aw; };
    // Per token at the average context a token attends: half the input in training, half of input
    // and output in serving.
    req.forward_flops_per_unit = per_token(w.trains() ? in_tokens / 2 : (in_tokens + out) / 2);
    req.kv_bytes_per_token = s.decoder_layers * kv_per_token_layer;
    req.notes.push_back(fmt::format("forward FLOPs per token = 2 x {} active parameters + 4 x {} layers x attended tokens x {:.0f}",
                                    count(p_active), s.layers, aw));
    req.notes.push_back(fmt::format("KV cache per token = 2 x {} layers x {} KV heads x {} head dim x {} bytes = {:.0f} bytes",
                                    s.decoder_layers, s.kv_heads, s.head_dim, kv_bytes(w.precision), req.kv_bytes_per_token));
    if (w.trains()) {
      training(in, s, per_token(in_tokens / 2), in_tokens, 0, 0, req);
      return;
    }
    req.units_per_request = out;
    req.weight_bytes = p_total * wb;
    req.state_bytes_per_sequence = req.kv_bytes_per_token * (in_tokens + out);
    req.workspace_bytes = std::min(in_tokens, k::k_prefill_chunk_tokens) * s.hidden * (k::k_infer_act_factor * activation_bytes(w.precision) + 2);
    const double average_context = in_tokens + out / 2;
    Stage prefill{"prefill", 1, in_tokens * per_token(in_tokens / 2), p_active * wb, 0, 1, in_tokens, false, 0, 0, 0};
    Stage decode{"decode", out, per_token(average_context), p_total * wb, req.kv_bytes_per_token * average_context, 1, 1, true, 0, 0, 0};
    if (s.experts > 0 && s.experts_per_token > 0 && p_active < p_total) {
      // Mixture of experts: the expert weights are what is not active, scaled to all experts.
      const double expert_params = (p_total - p_active) * s.experts / (s.experts - s.experts_per_token);
      const double shared = std::max(0.0, p_total - expert_params);
      decode.weight_bytes = shared * wb;
      decode.experts = s.experts;
      decode.experts_per_token = s.experts_per_token;
      decode.expert_bytes = expert_params * wb;
      prefill.weight_bytes = p_total * wb;
      req.notes.push_back(fmt::format("mixture of experts: {} experts, {} per token; a decode step reads the shared {} parameters and the "
                                      "experts its batch is routed to",
                                      s.experts, s.experts_per_token, count(shared)));
    }
    req.stages = {prefill, decode};
    return;
  }

  if (!enc_dec) {
    // Encoders attend every position.
    auto per_token = [&](double attended) { return 2 * p_total + 4 * s.layers * attended * aw; };
    req.forward_flops_per_unit = per_token(positions);
    req.notes.push_back(fmt::format("forward FLOPs per position = 2 x {} parameters + 4 x {} layers x {:.0f} positions x {:.0f}",
                                    count(p_total), s.layers, positions, aw));
    if (w.trains()) {
      training(in, s, per_token(positions), positions, 0, 0, req);
      return;
    }
    req.units_per_request = positions;
    req.weight_bytes = p_total * wb;
    req.workspace_bytes_per_sequence = positions * s.hidden * (k::k_infer_act_factor * activation_bytes(w.precision) + 2);
    req.stages = {Stage{"forward", 1, positions * per_token(positions), p_total * wb, 0, 1, positions, false, 0, 0, 0}};
    return;
  }

  // Encoder-decoder: the encoder once over the input, the decoder once per output token with
  // self-attention over its own tokens and cross-attention over the encoder's positions.
  const double p_enc = p_total * enc_share, p_dec = p_total - p_enc;
  const double out = w.output_tokens.value_or(w.trains() ? positions : 128);
  auto enc_per_token = [&](double attended) { return 2 * p_enc + 4 * s.encoder_layers * attended * aw; };
  auto dec_per_token = [&](double attended) { return 2 * p_dec + 4 * s.decoder_layers * (attended + positions) * aw; };
  req.forward_flops_per_unit = enc_per_token(positions);
  req.kv_bytes_per_token = s.decoder_layers * kv_per_token_layer;
  req.notes.push_back(fmt::format("encoder-decoder: {} encoder and {} decoder parameters (split by their layers' shapes); the encoder "
                                  "runs once over {:.0f} positions, the decoder once per output token with cross-attention over them",
                                  count(p_enc), count(p_dec), positions));
  if (w.trains()) {
    if (!w.output_tokens) req.assumed.push_back(fmt::format("output_tokens: {:.0f} (target length taken equal to the input)", out));
    training(in, s, enc_per_token(positions), positions, out, dec_per_token(out / 2), req);
    return;
  }
  if (!w.output_tokens) req.assumed.push_back(fmt::format("output_tokens: {:.0f} (default decoder length)", out));
  req.units_per_request = out;
  req.weight_bytes = p_total * wb;
  const double cross_state = positions * req.kv_bytes_per_token;
  req.state_bytes_per_sequence = req.kv_bytes_per_token * out + cross_state;
  req.workspace_bytes = std::min(positions, k::k_prefill_chunk_tokens) * s.hidden * (k::k_infer_act_factor * activation_bytes(w.precision) + 2);
  req.stages = {Stage{"encoder", 1, positions * enc_per_token(positions), p_enc * wb, 0, 1, positions, false, 0, 0, 0},
                Stage{"decode", out, dec_per_token(out / 2), p_dec * wb, req.kv_bytes_per_token * out / 2 + cross_state, 1, 1, true, 0, 0, 0}};
}

}  // namespace aiadvise::sizing::family
