#include "HostMemory.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace torch_tidy::probe {

int64_t hostHeapBytesInUse() {
  struct mallinfo2 Info = mallinfo2();
  // Small blocks in use plus blocks mmapped directly (large tensors).
  return static_cast<int64_t>(Info.uordblks + Info.hblkhd);
}

int64_t hostTotalBytes() {
  return static_cast<int64_t>(sysconf(_SC_PHYS_PAGES)) *
         static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

int64_t hostAvailableBytes() {
  if (FILE *MemInfo = std::fopen("/proc/meminfo", "r")) {
    char Line[256];
    long long KiB = -1;
    while (std::fgets(Line, sizeof(Line), MemInfo))
      if (std::sscanf(Line, "MemAvailable: %lld kB", &KiB) == 1)
        break;
    std::fclose(MemInfo);
    if (KiB >= 0)
      return static_cast<int64_t>(KiB) * 1024;
  }
  return static_cast<int64_t>(sysconf(_SC_AVPHYS_PAGES)) *
         static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

} // namespace torch_tidy::probe
