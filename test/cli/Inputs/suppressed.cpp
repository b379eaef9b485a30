#include <torch/torch.h>

#include <vector>

torch::Tensor make_batch(int i);

void collect(torch::nn::Linear model) {
  std::vector<torch::Tensor> a, b, c;
  for (int i = 0; i < 10; ++i) {
    a.push_back(model(make_batch(i))); // NOLINT(torch-graph-kept-across-iterations)
    // NOLINTNEXTLINE(torch-*)
    b.push_back(model(make_batch(i)));
    // NOLINTBEGIN
    c.push_back(model(make_batch(i)));
    // NOLINTEND
  }
}

// A training step in the same file, so the loops above are not inference
// entry points: torch-missing-no-grad stays out of these tests.
void trainStep(torch::Tensor loss, torch::optim::SGD &optimizer) {
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
