// Every difference between the libtorch versions the probe supports (1.13
// and 2.x) lives here.
#ifndef TORCH_TIDY_RUNTIME_TORCHCOMPAT_H
#define TORCH_TIDY_RUNTIME_TORCHCOMPAT_H

#include <torch/version.h>

// Allocator::allocate is const in 1.x and non-const in 2.x.
#if TORCH_VERSION_MAJOR >= 2
#define TORCH_TIDY_ALLOCATE_QUALIFIER
#else
#define TORCH_TIDY_ALLOCATE_QUALIFIER const
#endif

#ifdef TORCH_TIDY_WITH_CUDA
// NOT YET VERIFIED ON A GPU. The caching allocator's statistics: free
// functions in 1.13; in 2.x inline wrappers over a global allocator, and the
// stats type moved (c10::CachingDeviceAllocator::DeviceStats), hence `auto`.
// Index 0 of each StatArray is the aggregate in every version.
#include <c10/cuda/CUDACachingAllocator.h>

#include <cstdint>

namespace torch_tidy::probe {

struct CudaAllocatorStats {
  int64_t AllocatedBytes;
  int64_t PeakAllocatedBytes;
  int64_t ReservedBytes;
  int64_t PeakReservedBytes;
};

inline CudaAllocatorStats cudaAllocatorStats(c10::DeviceIndex Device) {
  auto Stats = c10::cuda::CUDACachingAllocator::getDeviceStats(Device);
  return {static_cast<int64_t>(Stats.allocated_bytes[0].current),
          static_cast<int64_t>(Stats.allocated_bytes[0].peak),
          static_cast<int64_t>(Stats.reserved_bytes[0].current),
          static_cast<int64_t>(Stats.reserved_bytes[0].peak)};
}

inline void resetCudaPeakStats(c10::DeviceIndex Device) {
  c10::cuda::CUDACachingAllocator::resetPeakStats(Device);
}

// The caching allocator calls out-of-memory observers (2.x only) just
// before it throws c10::OutOfMemoryError, with the lock released. Their
// size parameters are size_t in some 2.x releases and int64_t in others,
// hence the generic lambda. Observers attach to the per-device allocators
// that exist, so attach after CUDA is initialised.
#if TORCH_VERSION_MAJOR >= 2
#define TORCH_TIDY_HAS_CUDA_OOM_OBSERVER 1
template <typename Handler>
void attachCudaOutOfMemoryObserver(Handler OnOutOfMemory) {
  c10::cuda::CUDACachingAllocator::attachOutOfMemoryObserver(
      [OnOutOfMemory](int64_t Device, auto RequestedBytes, auto /*Total*/,
                      auto FreeBytes) {
        OnOutOfMemory(static_cast<int>(Device),
                      static_cast<int64_t>(RequestedBytes),
                      static_cast<int64_t>(FreeBytes));
      });
}
#endif

} // namespace torch_tidy::probe
#endif

#define TORCH_TIDY_STRINGIFY_INNER(x) #x
#define TORCH_TIDY_STRINGIFY(x) TORCH_TIDY_STRINGIFY_INNER(x)
#define TORCH_TIDY_LIBTORCH_VERSION                                            \
  TORCH_TIDY_STRINGIFY(TORCH_VERSION_MAJOR)                                    \
  "." TORCH_TIDY_STRINGIFY(TORCH_VERSION_MINOR) "." TORCH_TIDY_STRINGIFY(      \
      TORCH_VERSION_PATCH)

#endif // TORCH_TIDY_RUNTIME_TORCHCOMPAT_H
