// The same running mean updated under torch::NoGradGuard: a statistic, not
// part of any graph.
#include "mlp.h"

#include "torch_tidy/probe.h"

#include <iostream>

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  torch::manual_seed(0);
  Mlp model;
  model->eval();

  torch::Tensor running_mean = torch::zeros({10});
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    torch::NoGradGuard no_grad;
    torch::Tensor logits = model(syntheticBatch(i));
    running_mean = 0.9 * running_mean + 0.1 * logits.mean(0);
  }
  std::cout << "running mean of logit 0: " << running_mean[0].item<double>()
            << "\n";
  return 0;
}
