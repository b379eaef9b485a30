// Stub of <c10/cuda/CUDACachingAllocator.h> (libtorch 1.13): Debian's real
// header does not compile without the CUDA toolkit, so tests that call it
// run against the stubs only (`// REQUIRES: stub-headers`).
#pragma once

#include <cstddef>

namespace c10 {
namespace cuda {
namespace CUDACachingAllocator {
void *raw_alloc(size_t nbytes);
void raw_delete(void *ptr);
void emptyCache();
void resetAccumulatedStats(int device);
void resetPeakStats(int device);
} // namespace CUDACachingAllocator
} // namespace cuda
} // namespace c10

// c10/macros/Macros.h
namespace at {
namespace cuda {
using namespace c10::cuda;
} // namespace cuda
} // namespace at
