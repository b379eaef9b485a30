// eval_fixed on the GPU: no graph is recorded and only the per-class
// counts are kept, so device memory stays flat.
#include "../mlp/mlp.h"
#include "device.h"

#include "torch_tidy/probe.h"

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  const torch::Device device = exampleDevice();
  torch::manual_seed(0);
  Mlp model;
  model->to(device);
  model->eval();
  torch::NoGradGuard no_grad;

  torch::Tensor counts = torch::zeros({10}, torch::kLong);
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    torch::Tensor batch_logits = model(syntheticBatch(i).to(device));
    counts += torch::bincount(batch_logits.argmax(1).cpu(), {}, 10);
  }

  printClassCounts(counts);
  return 0;
}
