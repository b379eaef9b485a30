// Origins of CUDA blocks in origins mode: the caching allocator's own
// history recording (the C++ side of PyTorch's memory snapshots) keeps a
// context with each block; the probe's context is the same tag that CPU
// blocks get (OriginTag.h). Needs a CUDA libtorch 2.1 or later
// (TorchCompat.h); elsewhere these do nothing. NOT YET RUN ON A GPU.
#ifndef TORCH_TIDY_RUNTIME_CUDAORIGINS_H
#define TORCH_TIDY_RUNTIME_CUDAORIGINS_H

#include "OriginTag.h"

#include <cstddef>
#include <functional>

namespace torch_tidy::probe {

/// Whether this build can tag CUDA blocks.
bool cudaOriginsAvailable();

/// Fills a tag on the allocating thread; must not throw.
using CudaBlockTagger = void (*)(OriginTag &Tag) noexcept;

/// Turns on the allocator's history recording, with \p Tagger filling each
/// new block's context; the first call only. Call once a device is in use
/// (the per-device allocators exist then). Returns whether it is on.
bool startCudaOrigins(CudaBlockTagger Tagger);

/// Calls \p Visit with the device, size and tag of every allocated CUDA
/// block that the probe tagged (one allocator snapshot).
void forEachTaggedCudaBlock(
    const std::function<void(int Device, size_t Bytes, const OriginTag &Tag)>
        &Visit);

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_CUDAORIGINS_H
