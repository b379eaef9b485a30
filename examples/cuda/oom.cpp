// Keeps 256 MiB CUDA tensors in a list until the caching allocator runs out
// (test/gpu/run.sh): the probe must record the failure in its report before
// the program catches the exception, unchanged.
#include "torch_tidy/probe.h"

#include <torch/torch.h>

#include <iostream>
#include <vector>

int main() {
  if (!torch::cuda::is_available()) {
    std::cerr << "no GPU: nothing to exhaust\n";
    return 2;
  }
  std::vector<torch::Tensor> kept;
  try {
    for (int i = 0; i < 1000000; ++i) {
      TORCH_TIDY_ITERATION();
      kept.push_back(torch::empty(
          {int64_t(256) << 20}, torch::dtype(torch::kUInt8).device(torch::kCUDA)));
    }
  }
#if TORCH_VERSION_MAJOR >= 2
  catch (const c10::OutOfMemoryError &error) {
    std::cout << "caught c10::OutOfMemoryError after " << kept.size()
              << " tensors\n";
    return 0;
  }
#endif
  catch (const c10::Error &error) {
    std::cout << "caught c10::Error after " << kept.size() << " tensors\n";
    return 0;
  }
  std::cout << "no out-of-memory error\n";
  return 1;
}
