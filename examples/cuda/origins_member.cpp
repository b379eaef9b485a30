// class_member (examples/origins) on the GPU: a metrics object keeps a copy
// of every input batch in device memory (64 KiB an iteration). In origins mode
// the probe tags CUDA blocks through the caching allocator's history
// (libtorch 2.1 or later), and `torch-tidy confirm` names the clone line inside
// record() as the origin of the growth, on cuda:0 (test/gpu/run.sh checks it).
#include "../mlp/mlp.h"
#include "device.h"

#include "torch_tidy/probe.h"

#include <iostream>
#include <vector>

class ActivationHistory {
public:
  void record(const torch::Tensor &activations) {
    history_.push_back(activations.clone());
  }
  size_t size() const { return history_.size(); }

private:
  std::vector<torch::Tensor> history_;
};

int main(int argc, char **argv) {
  const int iterations = iterationsFromArgs(argc, argv, 30);
  const torch::Device device = exampleDevice();
  torch::manual_seed(0);
  Mlp model;
  model->to(device);
  model->eval();
  torch::NoGradGuard no_grad;
  ActivationHistory history;
  double total = 0;
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    torch::Tensor batch = syntheticBatch(i).to(device);
    torch::Tensor logits = model(batch);
    history.record(batch);
    total += logits.sum().item<double>();
  }
  std::cout << "recorded " << history.size() << " batches, sum " << total
            << "\n";
  return 0;
}
