// REQUIRES: real-libtorch
// RUN: %check_torch_tidy %s torch-* %t -- %torch_include
//
// Gradient accumulation with the reset after the step, and the moving
// average under a guard: no finding.

#include <torch/torch.h>

#include <vector>

void train(torch::nn::Linear &model, const std::vector<torch::Tensor> &inputs,
           const std::vector<torch::Tensor> &targets, int accumulate) {
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  std::vector<torch::Tensor> ema;
  for (const torch::Tensor &p : model->parameters())
    ema.push_back(p.detach().clone());

  for (size_t i = 0; i < inputs.size(); ++i) {
    torch::Tensor loss =
        torch::nn::functional::mse_loss(model(inputs[i]), targets[i]) / accumulate;
    loss.backward();
    if ((i + 1) % accumulate == 0) {
      optimizer.step();
      optimizer.zero_grad();
      torch::NoGradGuard no_grad;
      auto params = model->parameters();
      for (size_t k = 0; k < params.size(); ++k)
        ema[k].mul_(0.99).add_(params[k], 0.01);
    }
  }
}
