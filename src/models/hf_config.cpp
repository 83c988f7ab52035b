// Parameter counts from Hugging Face config.json files, one formula per model type. Each counts the
// weights the transformers implementation of that type creates (embeddings, attention, MLP or
// experts, norms, heads), so a published model's count is reproduced to the parameter where its
// config is complete (tests/unit/models/test_hf_config.cpp checks twelve and more).

#include "aiadvise/models/hf_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "aiadvise/util/diagnostics.hpp"
#include "aiadvise/util/json_reader.hpp"
#include "aiadvise/util/text.hpp"

namespace aiadvise::models {

using util::Json;
using util::Location;

namespace {

/// Reads numbers from one config object (the top level, text_config, vision_config), collecting
/// every problem before failing.
class Fields {
 public:
  Fields(const Json& object, Location at, std::vector<util::Diagnostic>& diagnostics)
      : m_object(object), m_reader(object, std::move(at), diagnostics) {}

  /// The largest dimension read (layers, widths, vocabulary, context, experts): real models are far
  /// below it, and every product of such numbers stays exact in a double.
  static constexpr std::int64_t k_max_dimension = 1'000'000'000;

  /// A required positive integer (or one of `aliases` for it).
  double need(const char* key, std::initializer_list<const char*> aliases = {}) {
    if (!m_reader.has(key)) {
      for (const char* alias : aliases) {
        if (m_reader.has(alias)) return static_cast<double>(m_reader.integer(alias, 1, k_max_dimension).value_or(1));
      }
      m_reader.error(key, fmt::format("config.json lacks '{}', which the {} parameter count needs", key, m_type));
      return 1;
    }
    return static_cast<double>(m_reader.integer(key, 1, k_max_dimension).value_or(1));
  }
  /// An optional non-negative integer with a default.
  double get(const char* key, double fallback) {
    if (!m_reader.has(key) || m_object.at(key).is_null()) return fallback;
    return static_cast<double>(m_reader.integer(key, 0, k_max_dimension).value_or(static_cast<std::int64_t>(fallback)));
  }
  bool flag(const char* key, bool fallback) {
    if (!m_reader.has(key) || m_object.at(key).is_null()) return fallback;
    return m_reader.boolean(key).value_or(fallback);
  }
  std::string text(const char* key) {
    if (!m_reader.has(key) || !m_object.at(key).is_string()) return "";
    return m_object.at(key).get<std::string>();
  }
  bool has(const char* key) const { return m_reader.has(key) && !m_object.at(key).is_null(); }
  const Json* child(const char* key) { return m_reader.has(key) && m_object.at(key).is_object() ? &m_object.at(key) : nullptr; }
  Location location_of(const char* key) const { return m_reader.location_of(key); }
  void error(const char* key, std::string message) { m_reader.error(key, std::move(message)); }
  const Json& object() const { return m_object; }
  void set_type(std::string type) { m_type = std::move(type); }

 private:
  const Json& m_object;
  util::ObjectReader m_reader;
  std::string m_type = "model";
};

/// A count built from named parts, so the notes can say where the parameters are.
struct Count {
  double total = 0;
  double active = 0;  // per token (equals total for dense models)
  void add(double n, double active_share = 1) {
    total += n;
    active += n * active_share;
  }
};

std::string count_text(double n) { return util::format_count(n); }

// ---- decoders -------------------------------------------------------------------------------------

struct Decoder {
  bool qkv_bias = false;     // Qwen2: biases on q, k and v
  bool o_bias = false;       // gpt-oss: also on o
  bool qk_norm = false;      // Qwen3, Gemma 3: RMSNorm of head_dim on q and k
  int norms_per_layer = 2;   // Gemma 2 and 3: four
  bool tied_default = false; // tie_word_embeddings when the config does not say
  bool mlp_bias = false;
  bool sinks = false;        // gpt-oss: one attention sink per head
};

struct Shape {
  double vocab, hidden, layers, heads, kv_heads, head_dim, intermediate, context;
};

Shape decoder_shape(Fields& f) {
  Shape s{};
  s.vocab = f.need("vocab_size");
  s.hidden = f.need("hidden_size");
  s.layers = f.need("num_hidden_layers");
  s.heads = f.need("num_attention_heads");
  s.kv_heads = f.get("num_key_value_heads", s.heads);
  s.head_dim = f.get("head_dim", std::floor(s.hidden / s.heads));
  s.intermediate = f.has("intermediate_size") ? f.need("intermediate_size") : 0;
  s.context = f.get("max_position_embeddings", 0);
  return s;
}

double attention_params(const Shape& s, const Decoder& d) {
  const double q = s.heads * s.head_dim, kv = s.kv_heads * s.head_dim;
  double n = s.hidden * q + 2 * s.hidden * kv + q * s.hidden;
  if (d.qkv_bias || d.o_bias) n += q + 2 * kv;
  if (d.o_bias) n += s.hidden;
  if (d.qk_norm) n += 2 * s.head_dim;
  if (d.sinks) n += s.heads;
  return n;
}

double gated_mlp(double hidden, double intermediate, bool bias) {
  return 3 * hidden * intermediate + (bias ? 2 * intermediate + hidden : 0);
}

void fill_architecture(HfModel& m, const Shape& s) {
  auto& a = m.architecture;
  a.layers = static_cast<int>(s.layers);
  a.hidden_size = static_cast<int>(s.hidden);
  a.attention_heads = static_cast<int>(s.heads);
  a.kv_heads = static_cast<int>(s.kv_heads);
  a.head_dim = static_cast<int>(s.head_dim);
  if (s.intermediate > 0) a.intermediate_size = static_cast<int>(s.intermediate);
  a.vocab_size = static_cast<int>(s.vocab);
  if (s.context > 0) a.context_length = static_cast<int>(s.context);
}

/// Embeddings (and an untied output head), norms and `layer` per layer.
void decoder_totals(HfModel& m, Fields& f, const Shape& s, const Decoder& d, const Count& layers) {
  const bool tied = f.flag("tie_word_embeddings", d.tied_default);
  const double embed = s.vocab * s.hidden;
  Count c = layers;
  // NOTE: per token the input embedding is a lookup; the output head is a matmul. Active
  // parameters count the head only (OpenAI's and DeepSeek's convention; Qwen also counts the table).
  c.total += embed * (tied ? 1 : 2);
  c.active += embed;
  c.add(s.hidden);  // final norm
  m.params = c.total;
  if (c.active < c.total) m.active_params = c.active;
  m.notes.push_back(fmt::format("{} layers ({} parameters), embeddings {}{}", s.layers, count_text(layers.total), count_text(embed),
                                tied ? " shared with the output head" : " and an output head of the same size"));
}

void dense_decoder(HfModel& m, Fields& f, const Decoder& d) {
  const Shape s = decoder_shape(f);
  fill_architecture(m, s);
  m.family = "llm-decoder";
  const double per_layer = attention_params(s, d) + gated_mlp(s.hidden, s.intermediate, d.mlp_bias) + d.norms_per_layer * s.hidden;
  Count layers;
  layers.add(per_layer * s.layers);
  decoder_totals(m, f, s, d, layers);
}

void llama_like(HfModel& m, Fields& f, Decoder d) {
  d.qkv_bias = d.qkv_bias || f.flag("attention_bias", false);
  d.o_bias = d.o_bias || f.flag("attention_bias", false);
  d.mlp_bias = f.flag("mlp_bias", false);
  dense_decoder(m, f, d);
}

/// Mixtral and gpt-oss: every layer a mixture of experts of gated MLPs with a router.
void moe_decoder(HfModel& m, Fields& f, const Decoder& d, bool expert_bias) {
  const Shape s = decoder_shape(f);
  fill_architecture(m, s);
  m.family = "llm-moe";
  const double experts = f.need("num_local_experts", {"num_experts"});
  const double active = f.need("num_experts_per_tok", {"experts_per_token"});
  m.architecture.experts = static_cast<int>(experts);
  m.architecture.experts_per_token = static_cast<int>(active);
  // gpt-oss: gate_up_proj (hidden x 2 intermediate, with bias) and down_proj (with bias) per expert.
  const double expert = gated_mlp(s.hidden, s.intermediate, false) + (expert_bias ? 2 * s.intermediate + s.hidden : 0);
  const double router = s.hidden * experts + (expert_bias ? experts : 0);
  Count layers;
  layers.add((attention_params(s, d) + d.norms_per_layer * s.hidden + router) * s.layers);
  layers.add(expert * experts * s.layers, active / experts);
  decoder_totals(m, f, s, d, layers);
}

/// Qwen2-MoE and Qwen3-MoE: routed experts of moe_intermediate_size, on every decoder_sparse_step-th
/// layer not in mlp_only_layers (dense MLP there); Qwen2-MoE adds a gated shared expert.
void qwen_moe(HfModel& m, Fields& f, Decoder d, bool shared) {
  Shape s = decoder_shape(f);
  const double moe_intermediate = f.need("moe_intermediate_size");
  const double experts = f.need("num_experts");
  const double active = f.need("num_experts_per_tok");
  const double step = std::max(1.0, f.get("decoder_sparse_step", 1));
  std::vector<int> dense_layers;
  if (const Json* only = &f.object(); only->contains("mlp_only_layers") && (*only)["mlp_only_layers"].is_array()) {
    for (const auto& v : (*only)["mlp_only_layers"]) {
      if (v.is_number_integer()) dense_layers.push_back(v.get<int>());
    }
  }
  d.qkv_bias = d.qkv_bias || f.flag("attention_bias", false);
  fill_architecture(m, s);
  m.architecture.intermediate_size = static_cast<int>(moe_intermediate);
  m.architecture.experts = static_cast<int>(experts);
  m.architecture.experts_per_token = static_cast<int>(active);
  m.family = "llm-moe";
  const double shared_intermediate = shared ? f.get("shared_expert_intermediate_size", 0) : 0;
  Count layers;
  int sparse = 0;
  for (int layer = 0; layer < static_cast<int>(s.layers); ++layer) {
    layers.add(attention_params(s, d) + d.norms_per_layer * s.hidden);
    const bool is_sparse = std::find(dense_layers.begin(), dense_layers.end(), layer) == dense_layers.end() &&
                           (layer + 1) % static_cast<int>(step) == 0;
    if (!is_sparse) {
      layers.add(gated_mlp(s.hidden, s.intermediate, false));
      continue;
    }
    ++sparse;
    layers.add(s.hidden * experts);  // router
    layers.add(experts * gated_mlp(s.hidden, moe_intermediate, false), active / experts);
    if (shared_intermediate > 0) layers.add(gated_mlp(s.hidden, shared_intermediate, false) + s.hidden);  // + its gate
  }
  m.notes.push_back(fmt::format("{} of {} layers are mixtures of {} experts ({} routed per token)", sparse, s.layers, experts, active));
  decoder_totals(m, f, s, d, layers);
}

/// DeepSeek-V3: multi-head latent attention; first_k_dense_replace dense layers, then routed and
/// shared experts. The multi-token-prediction module (num_nextn_predict_layers) is left out, as in
/// the published 671B.
void deepseek_v3(HfModel& m, Fields& f) {
  Shape s{};
  s.vocab = f.need("vocab_size");
  s.hidden = f.need("hidden_size");
  s.layers = f.need("num_hidden_layers");
  s.heads = f.need("num_attention_heads");
  s.kv_heads = f.get("num_key_value_heads", s.heads);
  s.intermediate = f.need("intermediate_size");
  s.context = f.get("max_position_embeddings", 0);
  const double q_lora = f.get("q_lora_rank", 0), kv_lora = f.need("kv_lora_rank");
  const double nope = f.need("qk_nope_head_dim"), rope = f.need("qk_rope_head_dim"), v_dim = f.need("v_head_dim");
  const double moe_intermediate = f.need("moe_intermediate_size");
  const double routed = f.need("n_routed_experts"), shared = f.get("n_shared_experts", 0);
  const double active = f.need("num_experts_per_tok");
  const double dense = f.get("first_k_dense_replace", 0);
  const double h = s.hidden, qk = nope + rope;
  const double q = q_lora > 0 ? h * q_lora + q_lora + q_lora * s.heads * qk : h * s.heads * qk;
  const double kv = h * (kv_lora + rope) + kv_lora + kv_lora * s.heads * (nope + v_dim);
  const double attention = q + kv + s.heads * v_dim * h;
  Count layers;
  layers.add((attention + 2 * h) * s.layers);
  layers.add(gated_mlp(h, s.intermediate, false) * dense);
  const double moe_layers = s.layers - dense;
  layers.add((h * routed + routed) * moe_layers);  // router and its score-correction bias
  layers.add(shared * gated_mlp(h, moe_intermediate, false) * moe_layers);
  layers.add(routed * gated_mlp(h, moe_intermediate, false) * moe_layers, active / routed);
  auto& a = m.architecture;
  a.layers = static_cast<int>(s.layers);
  a.hidden_size = static_cast<int>(h);
  a.attention_heads = static_cast<int>(s.heads);
  a.kv_heads = static_cast<int>(s.kv_heads);
  a.intermediate_size = static_cast<int>(s.intermediate);
  a.vocab_size = static_cast<int>(s.vocab);
  if (s.context > 0) a.context_length = static_cast<int>(s.context);
  a.experts = static_cast<int>(routed);
  a.experts_per_token = static_cast<int>(active);
  m.family = "llm-moe";
  m.notes.push_back("multi-head latent attention: head_dim left unset, since the per-head KV-cache formula does not apply");
  if (f.get("num_nextn_predict_layers", 0) > 0) m.notes.push_back("the multi-token-prediction module is not counted (as in the published count)");
  decoder_totals(m, f, s, Decoder{}, layers);
}

// ---- encoders -------------------------------------------------------------------------------------

/// One post-norm BERT/ViT/CLIP-style layer: q, k, v, o with biases, two LayerNorms, an MLP with biases.
double encoder_layer(double h, double i) { return 4 * (h * h + h) + 2 * 2 * h + (h * i + i) + (i * h + h); }

bool architecture_is(const Fields& f, std::string_view suffix) {
  const Json& o = f.object();
  if (!o.contains("architectures") || !o["architectures"].is_array()) return false;
  for (const auto& a : o["architectures"]) {
    if (a.is_string() && a.get<std::string>().size() >= suffix.size() &&
        a.get<std::string>().compare(a.get<std::string>().size() - suffix.size(), suffix.size(), suffix) == 0) {
      return true;
    }
  }
  return false;
}

double labels(const Fields& f) {
  const Json& o = f.object();
  if (o.contains("id2label") && o["id2label"].is_object() && !o["id2label"].empty()) return static_cast<double>(o["id2label"].size());
  if (o.contains("num_labels") && o["num_labels"].is_number_integer()) return o["num_labels"].get<double>();
  return 2;
}

void bert(HfModel& m, Fields& f) {
  const double v = f.need("vocab_size"), h = f.need("hidden_size"), l = f.need("num_hidden_layers");
  const double heads = f.need("num_attention_heads"), i = f.need("intermediate_size");
  const double positions = f.need("max_position_embeddings"), types = f.get("type_vocab_size", 2);
  Count c;
  c.add(v * h + positions * h + types * h + 2 * h);
  c.add(encoder_layer(h, i) * l);
  if (architecture_is(f, "ForSequenceClassification")) {
    const double n = labels(f);
    c.add(h * h + h + h * n + n);  // dense and out_proj (RoBERTa) or pooler and classifier (BERT)
    m.notes.push_back(fmt::format("with a sequence-classification head of {} label(s)", n));
  } else {
    c.add(h * h + h);  // pooler
    m.notes.push_back("the base encoder with its pooler (task heads add a fraction of a percent)");
  }
  m.params = c.total;
  m.family = "transformer-encoder";
  auto& a = m.architecture;
  a.layers = static_cast<int>(l);
  a.hidden_size = static_cast<int>(h);
  a.attention_heads = static_cast<int>(heads);
  a.kv_heads = static_cast<int>(heads);
  a.head_dim = static_cast<int>(h / heads);
  a.intermediate_size = static_cast<int>(i);
  a.vocab_size = static_cast<int>(v);
  a.context_length = static_cast<int>(positions);
}

/// nomic-embed-text: rotary positions, fused qkv without bias, SwiGLU MLP without bias.
void nomic_bert(HfModel& m, Fields& f) {
  const double v = f.need("vocab_size"), h = f.need("n_embd"), l = f.need("n_layer"), heads = f.need("n_head");
  const double i = f.get("n_inner", 4 * h), types = f.get("type_vocab_size", 2);
  const bool qkv_bias = f.flag("qkv_proj_bias", false), fc_bias = f.flag("mlp_fc1_bias", false) || f.flag("mlp_fc2_bias", false);
  Count c;
  c.add(v * h + types * h + 2 * h);
  c.add(l * (3 * h * h + (qkv_bias ? 3 * h : 0) + h * h + (qkv_bias ? h : 0) + gated_mlp(h, i, fc_bias) + 2 * 2 * h));
  m.params = c.total;
  m.family = "transformer-encoder";
  auto& a = m.architecture;
  a.layers = static_cast<int>(l);
  a.hidden_size = static_cast<int>(h);
  a.attention_heads = static_cast<int>(heads);
  a.kv_heads = static_cast<int>(heads);
  a.head_dim = static_cast<int>(h / heads);
  a.intermediate_size = static_cast<int>(i);
  a.vocab_size = static_cast<int>(v);
  if (f.has("n_positions")) a.context_length = static_cast<int>(f.get("n_positions", 0));
}

/// Vision transformers: patch embedding (a convolution with bias unless CLIP), class token and
/// position embeddings, encoder layers, final norm.
double vision_tower(Fields& f, bool clip, bool class_token, double* layers_out = nullptr, double* hidden_out = nullptr) {
  const double h = f.need("hidden_size"), l = f.need("num_hidden_layers"), i = f.need("intermediate_size");
  const double image = f.need("image_size"), patch = f.need("patch_size"), channels = f.get("num_channels", 3);
  const double patches = std::floor(image / patch) * std::floor(image / patch);
  double n = channels * patch * patch * h + (clip ? 0 : h);  // patch embedding
  n += (patches + (class_token ? 1 : 0)) * h + (class_token ? h : 0);
  if (clip) n += 2 * h;  // pre-layernorm
  n += encoder_layer(h, i) * l + 2 * h;
  if (layers_out) *layers_out = l;
  if (hidden_out) *hidden_out = h;
  return n;
}

void vit(HfModel& m, Fields& f) {
  double l = 0, h = 0;
  Count c;
  c.add(vision_tower(f, false, true, &l, &h));
  if (architecture_is(f, "ForImageClassification")) {
    const double n = labels(f);
    c.add(h * n + n);
    m.notes.push_back(fmt::format("with a classifier of {} labels", n));
  } else {
    c.add(h * h + h);  // pooler
  }
  m.params = c.total;
  m.family = "transformer-encoder";
  auto& a = m.architecture;
  a.layers = static_cast<int>(l);
  a.hidden_size = static_cast<int>(h);
  const double heads = f.need("num_attention_heads");
  a.attention_heads = static_cast<int>(heads);
  a.kv_heads = static_cast<int>(heads);
  a.head_dim = static_cast<int>(h / heads);
  a.intermediate_size = static_cast<int>(f.need("intermediate_size"));
}

void clip(HfModel& m, Fields& f, std::vector<util::Diagnostic>& diagnostics) {
  const Json* text = f.child("text_config");
  const Json* vision = f.child("vision_config");
  if (!text || !vision) {
    f.error(text ? "vision_config" : "text_config", "a CLIP config needs text_config and vision_config");
    return;
  }
  Fields t(*text, f.location_of("text_config"), diagnostics), v(*vision, f.location_of("vision_config"), diagnostics);
  t.set_type("CLIP text");
  v.set_type("CLIP vision");
  const double projection = f.need("projection_dim");
  const double th = t.need("hidden_size"), tl = t.need("num_hidden_layers"), ti = t.need("intermediate_size");
  const double vocab = t.need("vocab_size"), positions = t.need("max_position_embeddings");
  double vl = 0, vh = 0;
  Count c;
  c.add(vocab * th + positions * th + encoder_layer(th, ti) * tl + 2 * th);
  c.add(vision_tower(v, true, true, &vl, &vh));
  c.add(vh * projection + th * projection + 1);  // projections and logit_scale
  m.params = c.total;
  m.family = "transformer-encoder";
  auto& a = m.architecture;
  a.layers = static_cast<int>(vl);
  a.hidden_size = static_cast<int>(vh);
  const double heads = v.need("num_attention_heads");
  a.attention_heads = static_cast<int>(heads);
  a.kv_heads = static_cast<int>(heads);
  a.head_dim = static_cast<int>(vh / heads);
  a.intermediate_size = static_cast<int>(v.need("intermediate_size"));
  a.vocab_size = static_cast<int>(vocab);
  a.context_length = static_cast<int>(positions);
  m.notes.push_back(fmt::format("text encoder of {} layers and vision encoder of {} layers; the vision encoder's shape is used for sizing", tl, vl));
}

// ---- encoder-decoders -----------------------------------------------------------------------------

void t5(HfModel& m, Fields& f) {
  const double v = f.need("vocab_size"), d = f.need("d_model"), ff = f.need("d_ff"), kv = f.need("d_kv"), heads = f.need("num_heads");
  const double enc = f.need("num_layers"), dec = f.get("num_decoder_layers", enc), buckets = f.get("relative_attention_num_buckets", 32);
  const std::string proj = f.text("feed_forward_proj");
  const bool gated = proj.rfind("gated-", 0) == 0;
  const double inner = heads * kv;
  const double attention = 4 * d * inner;
  const double mlp = (gated ? 3 : 2) * d * ff;
  const bool tied = f.flag("tie_word_embeddings", true);
  Count c;
  c.add(v * d * (tied ? 1 : 2));
  c.add(enc * (attention + mlp + 2 * d) + heads * buckets + d);
  c.add(dec * (2 * attention + mlp + 3 * d) + heads * buckets + d);
  m.params = c.total;
  m.family = "transformer-encoder-decoder";
  auto& a = m.architecture;
  a.layers = static_cast<int>(enc);
  a.encoder_layers = static_cast<int>(enc);
  a.decoder_layers = static_cast<int>(dec);
  a.hidden_size = static_cast<int>(d);
  a.attention_heads = static_cast<int>(heads);
  a.kv_heads = static_cast<int>(heads);
  a.head_dim = static_cast<int>(kv);
  a.intermediate_size = static_cast<int>(ff);
  a.vocab_size = static_cast<int>(v);
  if (f.has("n_positions")) a.context_length = static_cast<int>(f.get("n_positions", 0));
  m.notes.push_back(fmt::format("{} feed-forward; embeddings {}", gated ? "gated" : "ReLU", tied ? "shared with the output head" : "and a separate output head"));
}

void whisper(HfModel& m, Fields& f) {
  const double v = f.need("vocab_size"), d = f.need("d_model"), mels = f.need("num_mel_bins");
  const double enc = f.need("encoder_layers"), dec = f.need("decoder_layers");
  const double enc_ff = f.need("encoder_ffn_dim"), dec_ff = f.need("decoder_ffn_dim");
  const double src = f.need("max_source_positions"), tgt = f.need("max_target_positions");
  const double heads = f.need("encoder_attention_heads");
  const double attention = 4 * d * d + 3 * d;  // k has no bias
  auto ffn = [&](double ff) { return d * ff + ff + ff * d + d; };
  Count c;
  c.add(mels * d * 3 + d + d * d * 3 + d + src * d);  // two convolutions, positions
  c.add(enc * (attention + ffn(enc_ff) + 2 * 2 * d) + 2 * d);
  c.add(v * d + tgt * d);  // the output head is tied to these embeddings
  c.add(dec * (2 * attention + ffn(dec_ff) + 3 * 2 * d) + 2 * d);
  m.params = c.total;
  m.family = "transformer-encoder-decoder";
  auto& a = m.architecture;
  a.layers = static_cast<int>(std::max(enc, dec));
  a.encoder_layers = static_cast<int>(enc);
  a.decoder_layers = static_cast<int>(dec);
  a.hidden_size = static_cast<int>(d);
  a.attention_heads = static_cast<int>(heads);
  a.kv_heads = static_cast<int>(heads);
  a.head_dim = static_cast<int>(d / heads);
  a.intermediate_size = static_cast<int>(dec_ff);
  a.vocab_size = static_cast<int>(v);
  a.context_length = static_cast<int>(tgt);
}

/// Gemma 3 with images: the text model (text_config), a SigLIP vision tower and the projector.
void gemma3(HfModel& m, Fields& f, std::vector<util::Diagnostic>& diagnostics) {
  const Json* text = f.child("text_config");
  if (!text) {
    f.error("text_config", "a gemma3 config needs text_config");
    return;
  }
  Fields t(*text, f.location_of("text_config"), diagnostics);
  t.set_type("Gemma 3 text");
  if (!t.has("vocab_size")) {
    // NOTE: the published Gemma 3 configs leave vocab_size to Gemma3TextConfig's default.
    m.notes.push_back("vocab_size 262208: Gemma3TextConfig's default, which the published configs rely on");
  }
  Shape s{};
  s.vocab = t.get("vocab_size", 262208);
  s.hidden = t.need("hidden_size");
  s.layers = t.need("num_hidden_layers");
  s.heads = t.need("num_attention_heads");
  s.kv_heads = t.get("num_key_value_heads", s.heads);
  s.head_dim = t.get("head_dim", 256);
  s.intermediate = t.need("intermediate_size");
  s.context = t.get("max_position_embeddings", 131072);
  fill_architecture(m, s);
  m.family = "llm-decoder";
  Decoder d;
  d.qk_norm = true;
  d.norms_per_layer = 4;
  Count c;
  c.add((attention_params(s, d) + gated_mlp(s.hidden, s.intermediate, false) + 4 * s.hidden) * s.layers);
  c.add(s.vocab * s.hidden + s.hidden);  // tied embeddings, final norm
  if (const Json* vision = f.child("vision_config")) {
    Fields v(*vision, f.location_of("vision_config"), diagnostics);
    v.set_type("SigLIP vision");
    double vh = 0;
    c.add(vision_tower(v, false, false, nullptr, &vh));
    c.add(vh * s.hidden + vh);  // multi-modal projector and its norm
    m.notes.push_back("includes the SigLIP vision tower and projector");
  }
  m.params = c.total;
}

catalog::Precision precision_of(const std::string& dtype) {
  if (dtype == "float32") return catalog::Precision::fp32;
  if (dtype == "float16") return catalog::Precision::fp16;
  return catalog::Precision::bf16;
}

}  // namespace

const std::vector<std::string>& supported_model_types() {
  static const std::vector<std::string> types{"bert",       "clip",      "deepseek_v3", "gemma",     "gemma2",    "gemma3",
                                              "gemma3_text", "gpt_oss",  "llama",       "mistral",   "mixtral",   "nomic_bert",
                                              "phi3",       "qwen2",     "qwen2_moe",   "qwen3",     "qwen3_moe", "roberta",
                                              "t5",         "vit",       "whisper",     "xlm-roberta"};
  return types;
}

HfModel read_hf_config(const util::JsonDocument& doc) {
  std::vector<util::Diagnostic> diagnostics;
  if (!doc.value().is_object()) {
    throw util::InputError(std::vector<util::Diagnostic>{
        doc.diagnostic("", fmt::format("expected a config.json object, got {}", util::describe_value(doc.value())))});
  }
  Fields f(doc.value(), Location{&doc, ""}, diagnostics);
  HfModel m;
  m.model_type = f.text("model_type");
  f.set_type(m.model_type.empty() ? "model" : m.model_type);
  const std::string& t = m.model_type;
  if (t == "llama" || t == "mistral") {
    llama_like(m, f, Decoder{});
  } else if (t == "qwen2") {
    llama_like(m, f, Decoder{.qkv_bias = true});
  } else if (t == "qwen3") {
    llama_like(m, f, Decoder{.qk_norm = true});
  } else if (t == "gemma") {
    llama_like(m, f, Decoder{.tied_default = true});
  } else if (t == "gemma2") {
    llama_like(m, f, Decoder{.norms_per_layer = 4, .tied_default = true});
  } else if (t == "gemma3_text") {
    llama_like(m, f, Decoder{.qk_norm = true, .norms_per_layer = 4, .tied_default = true});
  } else if (t == "gemma3") {
    gemma3(m, f, diagnostics);
  } else if (t == "phi3") {
    dense_decoder(m, f, Decoder{});
  } else if (t == "mixtral") {
    moe_decoder(m, f, Decoder{}, false);
  } else if (t == "gpt_oss") {
    moe_decoder(m, f, Decoder{.qkv_bias = true, .o_bias = true, .sinks = true}, true);
  } else if (t == "qwen2_moe") {
    qwen_moe(m, f, Decoder{.qkv_bias = true}, true);
  } else if (t == "qwen3_moe") {
    qwen_moe(m, f, Decoder{.qk_norm = true}, false);
  } else if (t == "deepseek_v3") {
    deepseek_v3(m, f);
  } else if (t == "bert" || t == "roberta" || t == "xlm-roberta") {
    bert(m, f);
  } else if (t == "nomic_bert") {
    nomic_bert(m, f);
  } else if (t == "vit") {
    vit(m, f);
  } else if (t == "clip") {
    clip(m, f, diagnostics);
  } else if (t == "t5") {
    t5(m, f);
  } else if (t == "whisper") {
    whisper(m, f);
  } else if (architecture_is(f, "ForCausalLM") && f.has("hidden_size") && f.has("num_hidden_layers") && f.has("intermediate_size") &&
             f.has("vocab_size") && f.has("num_attention_heads")) {
    llama_like(m, f, Decoder{});
    m.notes.push_back(fmt::format("model_type '{}' is not one aiadvise knows: counted as a Llama-style decoder (gated MLP, RMSNorm); "
                                  "give the model directory for the exact count from its safetensors",
                                  t.empty() ? "(none)" : t));
  } else {
    f.error("model_type", fmt::format("model_type '{}' is not one aiadvise can count; it reads {} (or any *ForCausalLM config with the "
                                      "Llama fields); give --family and --params instead",
                                      util::escape_for_terminal(t), util::join(supported_model_types(), ", ")));
  }
  if (!diagnostics.empty()) throw util::InputError(std::move(diagnostics));

  // Weights as published: the dtype, or the quantisation they ship in.
  std::string dtype = f.text("torch_dtype");
  if (dtype.empty()) dtype = f.text("dtype");
  if (!dtype.empty()) m.precision = precision_of(dtype);
  if (const Json* q = f.child("quantization_config")) {
    const std::string method = q->contains("quant_method") && (*q)["quant_method"].is_string() ? (*q)["quant_method"].get<std::string>() : "";
    if (method == "fp8") {
      m.precision = catalog::Precision::fp8;
    } else if (method == "mxfp4") {
      m.precision = catalog::Precision::int4;
      m.notes.push_back("weights published in MXFP4 (4-bit): sized as int4");
    } else if (method == "bitsandbytes" || method == "gptq" || method == "awq") {
      const int bits = q->contains("bits") && (*q)["bits"].is_number_integer() ? (*q)["bits"].get<int>()
                       : q->value("load_in_8bit", false)                      ? 8
                                                                               : 4;
      m.precision = bits <= 4 ? catalog::Precision::int4 : catalog::Precision::int8;
    }
  }
  return m;
}

}  // namespace aiadvise::models
