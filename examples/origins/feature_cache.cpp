#include "feature_cache.h"

#include <vector>

torch::Tensor cachedFeatures(const torch::Tensor &batch) {
  static std::vector<torch::Tensor> seen;
  torch::Tensor features = torch::tanh(batch);
  seen.push_back(features);
  return features;
}
