#include <torch/torch.h>

#include <vector>

torch::Tensor make_batch(int i);

void collect(torch::nn::Linear model) {
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i) {
    torch::Tensor out = model(make_batch(i));
    outputs.push_back(out);
  }
}

// A training step in the same file, so the loops above are not inference
// entry points: torch-missing-no-grad stays out of these tests.
void trainStep(torch::Tensor loss, torch::optim::SGD &optimizer) {
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
