// The same training loop, summing the loss as a number: nothing from an
// iteration's graph outlives the iteration.
#include "mlp.h"

#include "torch_tidy/probe.h"

#include <iomanip>
#include <iostream>

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  torch::manual_seed(0);
  Mlp model;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));

  double total = 0;
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    optimizer.zero_grad();
    torch::Tensor loss = torch::nn::functional::cross_entropy(
        model(syntheticBatch(i)), syntheticLabels(i));
    loss.backward();
    optimizer.step();
    total += loss.item<double>();
  }

  std::cout << std::setprecision(17) << "mean loss: " << total / iterations << "\n";
  return 0;
}
