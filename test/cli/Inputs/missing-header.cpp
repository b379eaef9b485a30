#include <torch/torch.h>
#include <third_party/not_installed.hpp>

#include <vector>

torch::Tensor make_batch(int i);

void collect(torch::nn::Linear model) {
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i) {
    torch::Tensor out = model(make_batch(i));
    outputs.push_back(out);
  }
}

void trainStep(torch::Tensor loss, torch::optim::SGD &optimizer) {
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
