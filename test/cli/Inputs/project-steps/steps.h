// A trainer whose optimizer calls are in helpers of another file: the
// loops are in loops.cpp, the helpers in optim.cpp.
#pragma once

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

// optim.cpp
void clear_gradients(torch::optim::SGD &opt);
void log_optimizer(torch::optim::SGD &opt);
void backward_and_step(torch::Tensor loss, torch::optim::SGD &opt);
