// RUN: %check_torch_tidy %s torch-missing-no-grad %t -- %torch_include

// The same serving function as in torch-missing-no-grad-inference.cpp, in
// a translation unit that also trains: its forward pass may be part of
// training, so it is no inference entry point and stays silent.

#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

void send(float value);

void process(Net net, torch::Tensor block) {
  auto y = net->forward(block);
  send(y.mean().item<float>());
}

void train(Net net, torch::optim::SGD &opt, torch::Tensor x, torch::Tensor y) {
  for (int i = 0; i < 10; ++i) {
    opt.zero_grad();
    torch::mse_loss(net(x), y).backward();
    opt.step();
  }
}
