// Recurrent networks run one step per token, one after another: an LSTM encoder-decoder (the
// Sutskever et al. translation model) reads the input tokens, then writes the output tokens
// through its softmax; a forecaster (DeepAR) conditions on a context window, then samples the
// prediction window along many paths at once.

#include <fmt/format.h>

#include <cmath>

#include "sizing/constants.hpp"
#include "sizing/family.hpp"

namespace aiadvise::sizing::family {

namespace k = constants;

namespace {

// An LSTM layer step: four gates, each a (hidden x (input + hidden)) product: 2 x 4 x h x 2h FLOPs
// with input = hidden.
double lstm_layer_flops(double hidden) { return 16 * hidden * hidden; }

}  // namespace

void rnn(const Input& in, Requirements& req) {
  const workload::Workload& w = in.w;
  const catalog::Architecture* a = in.model ? &in.model->architecture : nullptr;
  const bool forecaster = in.model && in.model->id == "deepar";
  const double params = *w.params;
  const double wb = weight_bytes_per_param(w.precision);
  const double hidden = a && a->hidden_size ? *a->hidden_size : std::sqrt(params / 16);
  const double enc_layers = a && a->encoder_layers ? *a->encoder_layers : (a && a->layers ? *a->layers : 2);
  const double dec_layers = a && a->decoder_layers ? *a->decoder_layers : enc_layers;
  // Per token: the encoder's LSTM layers; the decoder's plus its output layer. A model with a
  // published FLOP count per token pair splits it the same way.
  const double enc_per_token = enc_layers * lstm_layer_flops(hidden);
  double dec_per_token = dec_layers * lstm_layer_flops(hidden);
  if (in.model && in.model->forward_gflops_per_sample) {
    dec_per_token = std::max(dec_per_token, *in.model->forward_gflops_per_sample * 1e9 - enc_per_token);
  } else if (!forecaster) {
    dec_per_token += 2 * hidden * (a && a->vocab_size ? *a->vocab_size : 32000);
  }
  const double in_tokens = w.input_tokens.value_or(forecaster ? 24 : 32);
  const double out_tokens = w.output_tokens.value_or(forecaster ? 24 : 32);
  if (!w.input_tokens) {
    req.assumed.push_back(fmt::format("input_tokens: {} ({})", in_tokens, forecaster ? "context window, DeepAR's default = prediction length" : "a sentence"));
  }
  if (!w.output_tokens) {
    req.assumed.push_back(fmt::format("output_tokens: {} ({})", out_tokens, forecaster ? "prediction window" : "a sentence"));
  }
  // DeepAR draws num_parallel_samples = 100 sample paths over the prediction window (GluonTS default).
  const double paths = forecaster ? 100 : 1;
  req.unit = forecaster ? "series" : "token";
  req.layers = enc_layers + dec_layers;
  req.hidden = hidden;
  req.forward_flops_per_unit = enc_per_token + dec_per_token;
  req.notes.push_back(fmt::format("recurrent: {} FLOPs per input step ({} LSTM layers of {}), {} per output step, steps run one after another",
                                  count(enc_per_token), enc_layers, hidden, count(dec_per_token)));
  if (w.trains()) {
    training_states(w, params, params, req);
    const double b = activation_bytes(w.precision);
    // Stored per step and layer: the four gates, the cell and the hidden state (6 x hidden values);
    // the decoder's output layer keeps its logits.
    const double per_step = 6 * hidden * b * std::max(enc_layers, dec_layers);
    const double logits = forecaster ? 0 : out_tokens * (a && a->vocab_size ? *a->vocab_size : 32000) * k::k_logit_bytes * 0.5;
    req.activation_bytes_per_sample = (in_tokens + out_tokens) * per_step + logits;
    req.activation_bytes_per_sample_checkpointed = req.activation_bytes_per_sample;
    const double forward = in_tokens * enc_per_token + out_tokens * dec_per_token;
    req.training_flops_per_sample = 3 * forward;
    req.recompute_flops_per_sample = 0;
    req.samples = w.dataset_samples.value_or(1e6) * w.epochs.value_or(1);  // defaulted in workload::normalise
    req.global_batch = w.batch_size.value_or(128);
    if (!w.batch_size) req.assumed.push_back("global batch: 128 sequences (Sutskever et al.'s batch)");
    req.notes.push_back(fmt::format("training FLOPs = 3 x ({} x {} + {} x {}) per sequence x {} sequences", in_tokens, count(enc_per_token),
                                    out_tokens, count(dec_per_token), count(req.samples)));
    return;
  }
  req.units_per_request = forecaster ? 1 : out_tokens;
  req.weight_bytes = params * wb;
  req.state_bytes_per_sequence = 2 * hidden * (enc_layers + dec_layers) * activation_bytes(w.precision) * paths;
  const double enc_share = enc_layers / std::max(1.0, enc_layers + dec_layers);
  req.stages = {Stage{"encoder", in_tokens, enc_per_token, params * wb * enc_share, 0, 1, 1, false, 0, 0, 0},
                Stage{"decode", out_tokens, dec_per_token, params * wb * (1 - enc_share), 0, paths, 1, !forecaster, 0, 0, 0}};
}

}  // namespace aiadvise::sizing::family
