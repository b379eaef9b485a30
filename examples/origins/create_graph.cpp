// A gradient penalty computed from a backward pass with create_graph on a
// leaf made each iteration. x.grad() then carries a graph that refers back
// to x, so x, its gradient and that graph form a cycle that reference
// counting never frees: each iteration's x stays alive.
#include "../mlp/mlp.h"

#include "torch_tidy/probe.h"

#include <iostream>

struct Batch {
  torch::Tensor data;
  torch::Tensor target;
};

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  torch::manual_seed(0);
  Mlp model;
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.01));
  double last = 0;
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    Batch b{syntheticBatch(i), syntheticLabels(i)};
    opt.zero_grad();
    torch::Tensor x = b.data.clone().requires_grad_(true);
    torch::Tensor score = model(x).logsumexp(1).sum();
    score.backward({}, true, true);
    torch::Tensor penalty = x.grad().pow(2).sum();
    torch::Tensor loss =
        torch::nn::functional::cross_entropy(model(b.data), b.target) +
        0.1 * penalty;
    loss.backward();
    opt.step();
    last = loss.item<double>();
  }
  std::cout << "last loss: " << last << "\n";
  return 0;
}
