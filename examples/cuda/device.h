// The device of the CUDA variants of the examples: the first GPU when
// libtorch sees one, else the CPU (the programs then behave like the CPU
// examples).
#ifndef TORCH_TIDY_EXAMPLES_CUDA_DEVICE_H
#define TORCH_TIDY_EXAMPLES_CUDA_DEVICE_H

#include <torch/torch.h>

#include <iostream>

inline torch::Device exampleDevice() {
  torch::Device device =
      torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0)
                                  : torch::Device(torch::kCPU);
  std::cerr << "running on " << device << "\n";
  return device;
}

#endif // TORCH_TIDY_EXAMPLES_CUDA_DEVICE_H
