// Streaming inference with a recurrent cell: the hidden state is carried
// from step to step with autograd on. Each new state is computed from the
// previous one, so the graph of every step stays linked to the next and
// none of it (activations included) can be freed.
#include "mlp.h"

#include "torch_tidy/probe.h"

#include <iostream>

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  torch::manual_seed(0);
  torch::nn::GRUCell cell(256, 512);
  torch::nn::Linear head(512, 10);

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
