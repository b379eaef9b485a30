#include <torch/torch.h>

void broken() {
  torch::Tensor t = undeclared_function();
}
