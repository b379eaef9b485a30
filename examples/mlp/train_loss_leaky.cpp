// Training that sums the loss tensor for a progress line. After backward()
// the saved activations are gone, but `total` still references every
// iteration's graph nodes: the growth is in host memory, a few KiB per step.
#include "mlp.h"

#include "torch_tidy/probe.h"

#include <iomanip>
#include <iostream>

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  torch::manual_seed(0);
  Mlp model;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));

  torch::Tensor total = torch::zeros({});
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    optimizer.zero_grad();
    torch::Tensor loss = torch::nn::functional::cross_entropy(
        model(syntheticBatch(i)), syntheticLabels(i));
    loss.backward();
    optimizer.step();
    total += loss;
  }

  std::cout << std::setprecision(17) << "mean loss: " << (total / iterations).item<double>() << "\n";
  return 0;
}
