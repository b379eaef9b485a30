// CUDA memory at a boundary: each device's caching allocator and the free
// memory of the device. Measured only when the probe is built against a
// CUDA-enabled libtorch (TORCH_TIDY_WITH_CUDA); otherwise both functions do
// nothing.
#ifndef TORCH_TIDY_RUNTIME_CUDAMEMORY_H
#define TORCH_TIDY_RUNTIME_CUDAMEMORY_H

#include "ProbeState.h"

#include <cstdint>
#include <vector>

namespace torch_tidy::probe {

/// Appends one sample per device the caching allocator has used, and starts
/// a new peak window on each (resetPeakStats is global: the program's own
/// peak readings restart too). Devices never used are not touched, so no
/// context is created on them.
void sampleCudaDevices(std::vector<CudaDeviceSample> &Out);

/// Says once on stderr when the probe has CUDA support but no GPU is
/// available.
void noteCudaAvailability();

/// Called with the device, the bytes asked for and the device's free bytes
/// when the caching allocator is about to throw c10::OutOfMemoryError.
using CudaFailureHandler = void (*)(int Device, int64_t RequestedBytes,
                                    int64_t DeviceFreeBytes) noexcept;

/// Records CUDA out-of-memory failures through \p OnFailure from the first
/// boundary that finds a device in use (libtorch 2.x; a no-op otherwise).
void watchCudaOutOfMemory(CudaFailureHandler OnFailure);

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_CUDAMEMORY_H
