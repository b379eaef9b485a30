// A helper in its own translation unit that remembers what it computed.
#ifndef TORCH_TIDY_EXAMPLES_ORIGINS_FEATURE_CACHE_H
#define TORCH_TIDY_EXAMPLES_ORIGINS_FEATURE_CACHE_H

#include <torch/torch.h>

/// Features of a batch; also kept in a cache that is never cleared.
torch::Tensor cachedFeatures(const torch::Tensor &batch);

#endif // TORCH_TIDY_EXAMPLES_ORIGINS_FEATURE_CACHE_H
