#include "steps.h"

void fit_resets(Net net, torch::optim::SGD &opt, torch::Tensor x,
                torch::Tensor y) {
  for (int i = 0; i < 100; ++i) {
    clear_gradients(opt);
    torch::Tensor loss = torch::mse_loss(net->forward(x), y);
    loss.backward();
    opt.step();
  }
}

void fit_never_resets(Net net, torch::optim::SGD &opt, torch::Tensor x,
                      torch::Tensor y) {
  for (int i = 0; i < 100; ++i) {
    log_optimizer(opt);
    torch::Tensor loss = torch::mse_loss(net->forward(x), y);
    loss.backward();
    opt.step();
  }
}

void fit_steps_in_helper(Net net, torch::optim::SGD &opt, torch::Tensor x,
                         torch::Tensor y) {
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    backward_and_step(torch::mse_loss(net->forward(x), y), opt);
  }
}
