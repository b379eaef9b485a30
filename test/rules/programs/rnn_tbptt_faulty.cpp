// REQUIRES: real-libtorch
// RUN: %check_torch_tidy %s torch-* %t -- %torch_include
//
// Truncated backpropagation through time without the truncation: the hidden
// state carries every chunk's graph into the next.

#include <torch/torch.h>

#include <vector>

void trainLanguageModel(torch::nn::GRUCell &cell, torch::nn::Linear &decoder,
                        const std::vector<torch::Tensor> &chunks,
                        torch::optim::Optimizer &optimizer) {
  torch::Tensor hidden = torch::zeros({32, 256});
  for (const torch::Tensor &chunk : chunks) {
    optimizer.zero_grad();
    torch::Tensor loss = torch::zeros({});
    for (int64_t t = 0; t + 1 < chunk.size(0); ++t) {
      hidden = cell(chunk[t], hidden);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'hidden' is computed from its own previous value with autograd on and carried into the next round of the enclosing loop{{.*}} [torch-graph-kept-across-iterations]
      loss = loss + torch::nn::functional::mse_loss(decoder(hidden), chunk[t + 1]);
    }
    loss.backward({}, /*retain_graph=*/true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: {{.*}} [torch-retain-graph-in-loop]
    optimizer.step();
  }
}

std::vector<float> generate(torch::nn::GRUCell &cell, torch::nn::Linear &decoder,
                            torch::Tensor input, int steps) {
  torch::Tensor hidden = torch::zeros({1, 256});
  std::vector<float> samples;
  for (int step = 0; step < steps; ++step) {
    hidden = cell(input, hidden);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'hidden' is computed from its own previous value with autograd on{{.*}} [torch-graph-kept-across-iterations]
    input = decoder(hidden);
    samples.push_back(input.mean().item<float>());
  }
  return samples;
}
