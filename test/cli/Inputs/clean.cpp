#include <torch/torch.h>

torch::Tensor make_batch(int i);

double evaluate(torch::nn::Linear model) {
  torch::NoGradGuard no_grad;
  double total = 0;
  for (int i = 0; i < 10; ++i)
    total += model(make_batch(i)).sum().item<double>();
  return total;
}
