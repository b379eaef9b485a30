// train_loss_leaky on the GPU: `total += loss` keeps every iteration's
// graph nodes alive (host memory) and one small loss tensor on the device.
#include "../mlp/mlp.h"
#include "device.h"

#include "torch_tidy/probe.h"

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  const torch::Device device = exampleDevice();
  torch::manual_seed(0);
  Mlp model;
  model->to(device);
  torch::optim::SGD optimizer(model->parameters(),
                              torch::optim::SGDOptions(0.01));

  torch::Tensor total = torch::zeros({}, device);
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    optimizer.zero_grad();
    torch::Tensor loss = torch::nn::functional::cross_entropy(
        model(syntheticBatch(i).to(device)), syntheticLabels(i).to(device));
    loss.backward();
    optimizer.step();
    total += loss;
  }

  std::cout << "mean loss: " << (total / iterations).item<double>() << "\n";
  return 0;
}
