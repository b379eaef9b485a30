// eval_leaky on the GPU: every kept output pins its batch's graph and saved
// activations in the CUDA caching allocator.
#include "../mlp/mlp.h"
#include "device.h"

#include "torch_tidy/probe.h"

#include <vector>

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  const torch::Device device = exampleDevice();
  torch::manual_seed(0);
  Mlp model;
  model->to(device);
  model->eval();

  std::vector<torch::Tensor> logits;
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    torch::Tensor batch_logits = model(syntheticBatch(i).to(device));
    logits.push_back(batch_logits);
  }

  torch::Tensor counts =
      torch::bincount(torch::cat(logits).argmax(1).cpu(), {}, 10);
  printClassCounts(counts);
  return 0;
}
