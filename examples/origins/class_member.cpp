// A small metrics object whose history is a member: the loop only calls
// record(), and the copy that stays is made inside the class.
#include "../mlp/mlp.h"

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
  torch::NoGradGuard no_grad;
  ActivationHistory history;
  double total = 0;
  for (int i = 0; i < iterations; ++i) {
    TORCH_TIDY_ITERATION();
    torch::Tensor batch = syntheticBatch(i);
    history.record(batch);
    total += batch.sum().item<double>();
  }
  std::cout << "recorded " << history.size() << " batches, sum " << total
            << "\n";
  return 0;
}
