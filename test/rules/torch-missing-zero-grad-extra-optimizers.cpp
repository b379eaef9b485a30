// RUN: %check_torch_tidy --config="{CheckOptions: {torch-missing-zero-grad.ExtraOptimizerTypes: 'lab::Lion'}}" %s torch-missing-zero-grad %t -- %torch_include
// The global spelling of the option names the same classes.
// RUN: %check_torch_tidy --config="{CheckOptions: {ExtraOptimizerTypes: 'lab::Lion'}}" %s torch-missing-zero-grad %t -- %torch_include

// Optimizers outside torch::optim::Optimizer's hierarchy, named by
// ExtraOptimizerTypes (read by every torch- check).

#include <torch/torch.h>

#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

namespace lab {
// A hand-written optimizer with libtorch's method names.
class Lion {
public:
  explicit Lion(std::vector<torch::Tensor> params);
  void step();
  void zero_grad();
};
// Not named by the option: its step() is not an optimizer step.
class Logger {
public:
  void step();
};
} // namespace lab

void lionNeverResets(Net model, torch::Tensor x, torch::Tensor y) {
  lab::Lion opt(model->parameters());
  for (int i = 0; i < 100; ++i) {
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    opt.step();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: nothing in this loop resets the gradients that 'opt' steps with, {{.*}} [torch-missing-zero-grad]
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: gradients add up across the iterations of this loop
    // CHECK-FIXES: {{^}}  for (int i = 0; i < 100; ++i) {{[{]}}{{$}}
    // CHECK-FIXES-NEXT: {{^}}    opt.zero_grad();{{$}}
  }
}

void lionResets(Net model, torch::Tensor x, torch::Tensor y) {
  lab::Lion opt(model->parameters());
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    opt.step();
  }
}

void loggerIsNoOptimizer(Net model, torch::Tensor x, torch::Tensor y,
                         lab::Logger &log) {
  for (int i = 0; i < 100; ++i) {
    auto loss = torch::mse_loss(model(x), y);
    log.step();
    (void)loss.item<float>();
  }
}
