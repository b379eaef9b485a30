// Command-line handling shared by the batch-size examples that
// `torch-tidy fit` measures: `--batch-size N` (else TORCH_TIDY_BATCH_SIZE,
// else 32), `--iterations N` (default 20), `--autocast` (bfloat16 autocast
// on the CPU, float16 on CUDA), `--device cuda` (model and data on the
// first GPU; default cpu).
#ifndef TORCH_TIDY_EXAMPLES_FIT_BATCH_ARGS_H
#define TORCH_TIDY_EXAMPLES_FIT_BATCH_ARGS_H

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

struct BatchArgs {
  int64_t batchSize = 32;
  int iterations = 20;
  bool autocast = false;
  torch::Device device = torch::kCPU;
};

inline BatchArgs parseBatchArgs(int argc, char **argv) {
  BatchArgs args;
  if (const char *fromFit = std::getenv("TORCH_TIDY_BATCH_SIZE"))
    args.batchSize = std::atoll(fromFit);
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--batch-size") == 0 && i + 1 < argc)
      args.batchSize = std::atoll(argv[++i]);
    else if (std::strcmp(argv[i], "--iterations") == 0 && i + 1 < argc)
      args.iterations = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--autocast") == 0)
      args.autocast = true;
    else if (std::strcmp(argv[i], "--device") == 0 && i + 1 < argc)
      args.device = torch::Device(argv[++i]);
  }
  if (args.batchSize < 1) {
    std::cerr << "batch size must be positive\n";
    std::exit(2);
  }
  return args;
}

/// Turns autocast on or off for \p device: bfloat16 on the CPU, float16
/// (the default) on CUDA. libtorch 2.4 replaced the per-device setters with
/// ones that take the device type.
inline void setAutocast(torch::Device device, bool on) {
#if TORCH_VERSION_MAJOR > 2 ||                                                 \
    (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  at::autocast::set_autocast_enabled(device.type(), on);
  if (on && device.is_cpu())
    at::autocast::set_autocast_dtype(at::kCPU, at::kBFloat16);
#else
  if (device.is_cuda()) {
    at::autocast::set_enabled(on);
    return;
  }
  at::autocast::set_cpu_enabled(on);
  if (on)
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
#endif
}

#endif // TORCH_TIDY_EXAMPLES_FIT_BATCH_ARGS_H
