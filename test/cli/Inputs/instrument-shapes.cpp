// Loop shapes for --instrument; the probe header comes with -include.
#ifndef SHAPES_GUARD
#define SHAPES_GUARD
#include <torch/torch.h>

#include <vector>
#ifdef EXTRA
#include <map>
#endif

torch::Tensor make_batch(int i);
bool more_batches(int i);

void doWhile(torch::nn::Linear model) {
  std::vector<torch::Tensor> outputs;
  int i = 0;
  do outputs.push_back(model(make_batch(i++))); while (more_batches(i));
}

void sameLineBraces(torch::nn::Linear model) {
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i) { outputs.push_back(model(make_batch(i))); }
}

void emptyLineComment(torch::nn::Linear model) {
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i) { // keep every output
	outputs.push_back(model(make_batch(i)));
  }
}

void nested(torch::nn::Linear model) {
  std::vector<torch::Tensor> outputs;
  for (int epoch = 0; epoch < 3; ++epoch)
    for (int i = 0; i < 10; ++i)
      outputs.push_back(model(make_batch(i)));
}

void alreadyMarked(torch::nn::Linear model) {
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i) {
    TORCH_TIDY_ITERATION();
    outputs.push_back(model(make_batch(i)));
  }
}
#endif

// A training step in the same file, so the loops above are not inference
// entry points: torch-missing-no-grad stays out of these tests.
void trainStep(torch::Tensor loss, torch::optim::SGD &optimizer) {
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
