#include "steps.h"

void clear_gradients(torch::optim::SGD &opt) { opt.zero_grad(); }

// Only looks at the optimizer: resets nothing.
void log_optimizer(torch::optim::SGD &opt) { (void)&opt; }

void backward_and_step(torch::Tensor loss, torch::optim::SGD &opt) {
  loss.backward();
  opt.step();
}
