// Recommenders (DLRM): huge embedding tables read a few rows per sample (memory-bound gathers)
// feeding a small dense network (compute). Tables are sharded over every device of the job
// (TorchRec's model parallelism); the dense part is replicated.

#include <fmt/format.h>

#include <cmath>

#include "sizing/constants.hpp"
#include "sizing/family.hpp"

namespace aiadvise::sizing::family {

namespace k = constants;

void recommender(const Input& in, Requirements& req) {
  const workload::Workload& w = in.w;
  const double params = *w.params;
  const double dense_flops = (in.model && in.model->forward_gflops_per_sample ? *in.model->forward_gflops_per_sample
                              : in.family && in.family->typical_forward_gflops_per_sample ? *in.family->typical_forward_gflops_per_sample
                                                                                          : 0.03) * 1e9;
  // Dense parameters are about half the dense FLOPs per sample (one multiply-add each).
  const double dense_params = std::min(params, dense_flops / 2);
  const double embedding_params = params - dense_params;
  const double dim = in.model && in.model->architecture.hidden_size ? *in.model->architecture.hidden_size : 128;
  // Rows read per sample: the model's lookups (input_positions), else one per table of a
  // 26-feature Criteo layout.
  const double lookups = in.model && in.model->input_positions ? *in.model->input_positions : 26;
  const double table_bytes_per_value = w.trains() ? 4 : weight_bytes_per_param(w.precision);
  const double gathered = lookups * dim * table_bytes_per_value;
  req.unit = "sample";
  req.forward_flops_per_unit = dense_flops;
  req.notes.push_back(fmt::format("recommender: {} embedding parameters ({} rows of {} read per sample: {:.0f} KB), {} dense "
                                  "parameters, {:.3g} MFLOPs per sample",
                                  count(embedding_params), lookups, dim, gathered / 1e3, count(dense_params), dense_flops / 1e6));
  if (w.trains()) {
    // Tables train with a row-wise sparse optimizer (Adagrad in the MLPerf reference): fp32 rows
    // plus one state per row, negligible; the dense network with Adam.
    req.trainable_params = params;
    req.training_state_bytes = embedding_params * 4 + dense_params * 16;
    req.memory.weights_gib = (embedding_params * 4 + dense_params * 4) / k_gib;
    req.memory.gradients_gib = dense_params * 4 / k_gib;
    req.memory.optimizer_gib = dense_params * 8 / k_gib;
    req.activation_bytes_per_sample = k::k_dense_act_bytes_per_flop * dense_flops + lookups * dim * 4;
    req.activation_bytes_per_sample_checkpointed = req.activation_bytes_per_sample;
    req.training_flops_per_sample = 3 * dense_flops;
    req.training_bytes_per_sample = 3 * gathered;  // rows read forward, gradients scattered and rows updated backward
    req.samples = w.dataset_samples.value_or(1e6) * w.epochs.value_or(1);  // defaulted in workload::normalise
    req.global_batch = w.batch_size.value_or(65536);
    if (!w.batch_size) req.assumed.push_back("global batch: 65,536 samples (the MLPerf DLRM-DCNv2 reference)");
    req.notes.push_back("embedding tables sharded over every device (model parallel), dense network data parallel");
    return;
  }
  req.weight_bytes = params * weight_bytes_per_param(w.precision);
  req.workspace_bytes_per_sequence = gathered * 2;
  req.stages = {Stage{"forward", 1, dense_flops, dense_params * weight_bytes_per_param(w.precision), gathered, 1, 1, false, 0, 0, 0}};
}

}  // namespace aiadvise::sizing::family
