// Loops for --instrument: each loop with a finding gets one marker.
#include <torch/torch.h>

#include <vector>

torch::Tensor make_batch(int i);
bool more_batches(int i);

// Two findings in one loop: one marker.
void collectTwice(torch::nn::Linear model) {
  std::vector<torch::Tensor> outputs, copies;
  for (int i = 0; i < 10; ++i) {
    torch::Tensor out = model(make_batch(i));
    outputs.push_back(out);
    copies.push_back(out);
  }
}

// A body without braces, on its own line.
void collectUnbraced(torch::nn::Linear model) {
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i)
    outputs.push_back(model(make_batch(i)));
}

// A body without braces, on the loop's line.
void collectOneLine(torch::nn::Linear model) {
  std::vector<torch::Tensor> outputs;
  int i = 0;
  while (more_batches(i)) outputs.push_back(model(make_batch(i++)));
}

// No finding: left alone.
void collectDetached(torch::nn::Linear model) {
  torch::NoGradGuard no_grad; std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i) {
    outputs.push_back(model(make_batch(i)).detach());
  }
}

// A training step in the same file, so the loops above are not inference
// entry points: torch-missing-no-grad stays out of these tests.
void trainStep(torch::Tensor loss, torch::optim::SGD &optimizer) {
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
