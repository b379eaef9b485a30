// Deferred reporting: each iteration queues a callback that prints a
// statistic later. The lambda captures the scaled batch by value, so every
// queued callback keeps a whole batch alive until the queue is drained.
#include "../mlp/mlp.h"

#include "torch_tidy/probe.h"

#include <functional>
#include <iostream>
#include <vector>

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  torch::NoGradGuard no_grad;
  std::vector<std::function<double()>> reports;
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    torch::Tensor batch = syntheticBatch(i);
    torch::Tensor scaled = batch.mul(0.5);
    reports.push_back([scaled] { return scaled.abs().mean().item<double>(); });
  }
  double sum = 0;
  for (const auto &report : reports)
    sum += report();
  std::cout << "mean of scaled batches: " << sum / iterations << "\n";
  return 0;
}
