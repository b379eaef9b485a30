// The same streaming inference under torch::NoGradGuard: no graph links one
// step to the next, so only the current hidden state is alive.
#include "mlp.h"

#include "torch_tidy/probe.h"

#include <iostream>

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  torch::manual_seed(0);
  torch::nn::GRUCell cell(256, 512);
  torch::nn::Linear head(512, 10);
  torch::NoGradGuard no_grad;

  torch::Tensor hidden = torch::zeros({64, 512});
  int64_t alarms = 0;
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    hidden = cell(syntheticBatch(i), hidden);
    alarms += head(hidden).argmax(1).eq(3).sum().item<int64_t>();
  }
  std::cout << "alarms raised: " << alarms << "\n";
  return 0;
}
