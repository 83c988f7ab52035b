// Classical ML per library: gradient-boosted trees (XGBoost, LightGBM: histogram building over a
// quantised copy of the data), k-means, linear models. Work is counted in cells (rows x features)
// and rounds; inference in comparisons per row.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sizing/constants.hpp"
#include "sizing/family.hpp"

namespace aiadvise::sizing::family {

using workload::Phase;
namespace k = constants;

void classical(const Input& in, Requirements& req) {
  const workload::Workload& w = in.w;
  const double rows = w.dataset_samples.value_or(1e6);
  const double features = w.features.value_or(100);
  const double iterations = w.iterations.value_or(100);
  const bool trees = w.family == "classical-trees";
  req.unit = "row";
  double model_bytes = 0;
  if (trees) {
    req.forward_flops_per_unit = iterations * k::k_tree_depth;  // comparisons per row
    req.training_flops_per_sample = features * iterations;      // histogram cell-rounds per row
    // A tree of depth 8 has 2^8 leaves; each node takes 16 bytes.
    model_bytes = iterations * 2 * std::pow(2.0, k::k_tree_depth) * 16;
    req.notes.push_back(fmt::format("gradient-boosted trees ({}): {} rows x {} features x {} rounds of histogram building", w.framework,
                                    count(rows), features, iterations));
  } else if (w.family == "classical-clustering") {
    req.forward_flops_per_unit = 3 * features * k::k_kmeans_clusters;
    req.training_flops_per_sample = 3 * features * k::k_kmeans_clusters * iterations;
    model_bytes = k::k_kmeans_clusters * features * 8;
    req.notes.push_back(fmt::format("k-means: 3 x rows x features x {} clusters x {} iterations", k::k_kmeans_clusters, iterations));
  } else {
    req.forward_flops_per_unit = 2 * features;
    req.training_flops_per_sample = 2 * features * iterations;
    model_bytes = features * 8;
    req.notes.push_back(fmt::format("linear model: 2 x rows x features x {} iterations", iterations));
  }
  if (w.trains()) {
    // The rows as loaded (4-byte floats), the quantised copy histogram methods build (1 byte per
    // cell), and per-row gradients, hessians and positions.
    const double per_row = trees ? features * (k::k_tree_raw_bytes_per_cell + k::k_tree_quantised_bytes_per_cell) + k::k_tree_bytes_per_row
                                 : features * 4 + 8;
    req.activation_bytes_per_sample = per_row;
    req.activation_bytes_per_sample_checkpointed = per_row;
    req.memory.weights_gib = model_bytes / k_gib;
    req.samples = rows * w.epochs.value_or(1);
    req.global_batch = rows;
    req.reference_batch = rows;
    req.notes.push_back(fmt::format("training data in memory: {:.3g} bytes per row ({})", per_row,
                                    trees ? "4-byte values, a 1-byte quantised copy and 16 bytes of gradients per row" : "4-byte values"));
    return;
  }
  req.weight_bytes = model_bytes;
  req.workspace_bytes_per_sequence = features * 4;
  req.stages = {Stage{"forward", 1, req.forward_flops_per_unit, model_bytes, features * 4, 1, 1, false, 0, 0, 0}};
}

}  // namespace aiadvise::sizing::family
