// NOT YET VERIFIED ON A GPU: the TORCH_TIDY_WITH_CUDA branch cannot be
// compiled on the development machine (Debian's libtorch has no CUDA).
#include "CudaMemory.h"
#include "TorchCompat.h"

#ifdef TORCH_TIDY_WITH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/util/Exception.h>
#include <cuda_runtime_api.h>

#include <cstdio>
#include <mutex>
#endif

namespace torch_tidy::probe {

#ifdef TORCH_TIDY_WITH_CUDA

namespace {

CudaFailureHandler FailureHandler = nullptr;
std::once_flag ObserverAttached;

void attachObserverOnce() {
#ifdef TORCH_TIDY_HAS_CUDA_OOM_OBSERVER
  if (!FailureHandler)
    return;
  std::call_once(ObserverAttached, [] {
    attachCudaOutOfMemoryObserver(FailureHandler);
  });
#endif
}

} // namespace

void watchCudaOutOfMemory(CudaFailureHandler OnFailure) {
  FailureHandler = OnFailure;
}

void sampleCudaDevices(std::vector<CudaDeviceSample> &Out) {
  int Devices = static_cast<int>(c10::cuda::device_count());
  for (int Index = 0; Index < Devices; ++Index) {
    auto Device = static_cast<c10::DeviceIndex>(Index);
    CudaDeviceSample Sample{};
    Sample.Device = Index;
    try {
      // Throws before the caching allocator is initialised.
      CudaAllocatorStats Stats = cudaAllocatorStats(Device);
      if (Stats.ReservedBytes == 0 && Stats.PeakAllocatedBytes == 0)
        continue; // Not in use: leave it alone.
      Sample.AllocatedBytes = Stats.AllocatedBytes;
      Sample.PeakAllocatedBytes = Stats.PeakAllocatedBytes;
      Sample.ReservedBytes = Stats.ReservedBytes;
      resetCudaPeakStats(Device);
    } catch (const c10::Error &) {
      continue;
    }
    // The device already has a context (the allocator reserved memory
    // there), so switching to it creates none.
    c10::cuda::CUDAGuard Guard(Device);
    size_t Free = 0, Total = 0;
    if (cudaMemGetInfo(&Free, &Total) == cudaSuccess) {
      Sample.FreeBytes = static_cast<int64_t>(Free);
      Sample.TotalBytes = static_cast<int64_t>(Total);
    } else {
      (void)cudaGetLastError(); // Do not leave the error for the program.
    }
    Out.push_back(Sample);
  }
  // A device in use means the caching allocator exists now.
  if (!Out.empty())
    attachObserverOnce();
}

void noteCudaAvailability() {
  if (c10::cuda::device_count() == 0)
    std::fprintf(stderr, "torch-tidy probe: built with CUDA, but no GPU is "
                         "available: measuring CPU memory only\n");
}

#else

void sampleCudaDevices(std::vector<CudaDeviceSample> &) {}
void noteCudaAvailability() {}
void watchCudaOutOfMemory(CudaFailureHandler) {}

#endif

} // namespace torch_tidy::probe
