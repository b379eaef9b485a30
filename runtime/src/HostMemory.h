// Host memory readings: the malloc heap in use (autograd graph nodes live
// there, and so does CPU tensor storage) and the memory still available.
#ifndef TORCH_TIDY_RUNTIME_HOSTMEMORY_H
#define TORCH_TIDY_RUNTIME_HOSTMEMORY_H

#include <cstdint>

namespace torch_tidy::probe {

/// Bytes the malloc heap has handed out and not taken back.
int64_t hostHeapBytesInUse();

/// Physical memory of the machine.
int64_t hostTotalBytes();

/// Memory the kernel could still give the process (MemAvailable), or the
/// free physical memory when /proc/meminfo cannot be read.
int64_t hostAvailableBytes();

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_HOSTMEMORY_H
