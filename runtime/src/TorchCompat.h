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
#include <memory>
#include <string>
#include <vector>

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

// The caching allocator's history recording (the C++ side of PyTorch's
// memory snapshots) with a context per block: 2.1 and later. (1.13 and 2.0
// keep a per-block history list with another context type.) recordHistory
// gained parameters over 2.x: `when` (2.1), `clearHistory`, then
// `skip_actions`; the overloads below take whichever this version has. The
// recorder is called on the allocating thread, outside the allocator's lock,
// and what it returns is kept with the block while it is allocated
// (RecordContext::STATE); snapshot() returns it as context_when_allocated.
#if TORCH_VERSION_MAJOR > 2 ||                                                 \
    (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
#define TORCH_TIDY_HAS_CUDA_HISTORY 1

using CudaContextRecorder = std::shared_ptr<c10::GatheredContext> (*)();

namespace compat {
template <int N> struct Preference : Preference<N - 1> {};
template <> struct Preference<0> {};

// The trace ring buffer is held to one entry: the probe reads only the
// contexts of allocated blocks.
template <typename Recorder>
auto recordCudaHistory(Recorder R, Preference<2>)
    -> decltype(c10::cuda::CUDACachingAllocator::recordHistory(
                    true, R, size_t{1},
                    c10::cuda::CUDACachingAllocator::RecordContext::STATE,
                    false, std::vector<std::string>{}),
                void()) {
  c10::cuda::CUDACachingAllocator::recordHistory(
      true, R, size_t{1}, c10::cuda::CUDACachingAllocator::RecordContext::STATE,
      false, std::vector<std::string>{});
}
template <typename Recorder>
auto recordCudaHistory(Recorder R, Preference<1>)
    -> decltype(c10::cuda::CUDACachingAllocator::recordHistory(
                    true, R, size_t{1},
                    c10::cuda::CUDACachingAllocator::RecordContext::STATE,
                    false),
                void()) {
  c10::cuda::CUDACachingAllocator::recordHistory(
      true, R, size_t{1}, c10::cuda::CUDACachingAllocator::RecordContext::STATE,
      false);
}
template <typename Recorder>
auto recordCudaHistory(Recorder R, Preference<0>)
    -> decltype(c10::cuda::CUDACachingAllocator::recordHistory(
                    true, R, size_t{1},
                    c10::cuda::CUDACachingAllocator::RecordContext::STATE),
                void()) {
  c10::cuda::CUDACachingAllocator::recordHistory(
      true, R, size_t{1},
      c10::cuda::CUDACachingAllocator::RecordContext::STATE);
}
} // namespace compat

/// Turns on history recording with \p Recorder as every new block's
/// context. The per-device allocators must exist (CUDA in use).
inline void startCudaHistory(CudaContextRecorder Recorder) {
  compat::recordCudaHistory(Recorder, compat::Preference<2>{});
}

/// Calls \p Visit(device, bytes, context) for each allocated block that
/// has a context.
template <typename Visitor> void forEachCudaBlockContext(Visitor Visit) {
  auto Snapshot = c10::cuda::CUDACachingAllocator::snapshot();
  for (const auto &Segment : Snapshot.segments)
    for (const auto &Block : Segment.blocks)
      if (Block.allocated && Block.context_when_allocated)
        Visit(static_cast<int>(Segment.device),
              static_cast<int64_t>(Block.size),
              Block.context_when_allocated.get());
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
