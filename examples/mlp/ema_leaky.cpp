// Training with an exponential moving average of the weights, updated by
// hand with autograd on: every update is recorded by autograd and chained to
// the previous one, so the copies keep a growing graph of every step.
#include "mlp.h"

#include "torch_tidy/probe.h"

#include <iostream>
#include <vector>

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  torch::manual_seed(0);
  Mlp model;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));

  std::vector<torch::Tensor> params = model->parameters();
  std::vector<torch::Tensor> ema;
  for (const torch::Tensor &p : params)
    ema.push_back(p.detach().clone());
  const double decay = 0.99;

  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    optimizer.zero_grad();
    torch::Tensor loss = torch::nn::functional::cross_entropy(
        model(syntheticBatch(i)), syntheticLabels(i));
    loss.backward();
    optimizer.step();
    for (size_t k = 0; k < params.size(); ++k)
      ema[k] = decay * ema[k] + (1 - decay) * params[k];
  }
  std::cout << "ema of the first weight: " << ema[0][0][0].item<double>()
            << "\n";
  return 0;
}
