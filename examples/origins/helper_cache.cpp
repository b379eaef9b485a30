// The loop looks clean: each batch's features are reduced to a number. The
// helper in feature_cache.cpp keeps every result in a static vector, so the
// memory is made (and kept) there, not on any line of this loop.
#include "../mlp/mlp.h"
#include "feature_cache.h"

#include "torch_tidy/probe.h"

#include <iostream>

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  torch::NoGradGuard no_grad;
  double total = 0;
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    total += cachedFeatures(syntheticBatch(i)).mean().item<double>();
  }
  std::cout << "mean feature: " << total / iterations << "\n";
  return 0;
}
