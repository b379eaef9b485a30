// A small MLP and synthetic data shared by the examples. No downloads: each
// batch is drawn from a seeded generator.
#ifndef TORCH_TIDY_EXAMPLES_MLP_H
#define TORCH_TIDY_EXAMPLES_MLP_H

#include <torch/torch.h>

#include <cstdlib>
#include <iostream>

struct MlpImpl : torch::nn::Module {
  MlpImpl()
      : hidden(register_module("hidden", torch::nn::Linear(256, 512))),
        output(register_module("output", torch::nn::Linear(512, 10))) {}

  torch::Tensor forward(torch::Tensor x) {
    return output(torch::relu(hidden(x)));
  }

  torch::nn::Linear hidden;
  torch::nn::Linear output;
};
TORCH_MODULE(Mlp);

/// Batch `index` of 64 samples with 256 features.
inline torch::Tensor syntheticBatch(int64_t index) {
  torch::manual_seed(1000 + index);
  return torch::randn({64, 256});
}

/// Labels for batch `index`, 10 classes.
inline torch::Tensor syntheticLabels(int64_t index) {
  torch::manual_seed(2000 + index);
  return torch::randint(0, 10, {64}, torch::kLong);
}

/// The iteration count: the first argument, or `fallback`.
inline int iterationsFromArgs(int argc, char **argv, int fallback) {
  return argc > 1 ? std::atoi(argv[1]) : fallback;
}

/// Prints predicted samples per class on one line.
inline void printClassCounts(const torch::Tensor &counts) {
  std::cout << "predicted samples per class:";
  for (int64_t c = 0; c < counts.size(0); ++c)
    std::cout << ' ' << counts[c].item<int64_t>();
  std::cout << "\n";
}

#endif // TORCH_TIDY_EXAMPLES_MLP_H
