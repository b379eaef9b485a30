// REQUIRES: real-libtorch
// RUN: %check_torch_tidy %s torch-* %t -- %torch_include
//
// Truncated backpropagation through time: per-timestep losses summed over a
// chunk, one backward, and the hidden state detached between chunks; and
// generation under a guard: no finding.

#include <torch/torch.h>

#include <vector>

void trainLanguageModel(torch::nn::GRUCell &cell, torch::nn::Linear &decoder,
                        const std::vector<torch::Tensor> &chunks,
                        torch::optim::Optimizer &optimizer) {
  torch::Tensor hidden = torch::zeros({32, 256});
  for (const torch::Tensor &chunk : chunks) {
    optimizer.zero_grad();
    hidden = hidden.detach();
    torch::Tensor loss = torch::zeros({});
    for (int64_t t = 0; t + 1 < chunk.size(0); ++t) {
      hidden = cell(chunk[t], hidden);
      loss = loss + torch::nn::functional::mse_loss(decoder(hidden), chunk[t + 1]);
    }
    loss.backward();
    optimizer.step();
  }
}

std::vector<float> generate(torch::nn::GRUCell &cell, torch::nn::Linear &decoder,
                            torch::Tensor input, int steps) {
  torch::NoGradGuard no_grad;
  torch::Tensor hidden = torch::zeros({1, 256});
  std::vector<float> samples;
  for (int step = 0; step < steps; ++step) {
    hidden = cell(input, hidden);
    input = decoder(hidden);
    samples.push_back(input.mean().item<float>());
  }
  return samples;
}
