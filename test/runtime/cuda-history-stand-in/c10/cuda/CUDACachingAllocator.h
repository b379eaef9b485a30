// A stand-in for the part of libtorch 2.x's CUDA caching allocator API that
// the probe uses (TorchCompat.h), written from its documented shapes, so
// that the probe's libtorch-2.1+ branch compiles and runs here without CUDA:
// recordHistory takes 4, 5 or 6 parameters as in different 2.x releases
// (TORCH_TIDY_STAND_IN_ARITY), and snapshot() returns one segment with a
// block that carries the recorded context and one with someone else's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace c10 {
using DeviceIndex = int8_t;
struct GatheredContext {
  virtual ~GatheredContext() = default;
};
namespace cuda::CUDACachingAllocator {
struct Stat {
  int64_t current = 0, peak = 0;
};
struct DeviceStats {
  Stat allocated_bytes[3], reserved_bytes[3];
};
inline DeviceStats getDeviceStats(DeviceIndex) { return {}; }
inline void resetPeakStats(DeviceIndex) {}
using OutOfMemoryObserver =
    std::function<void(int64_t, size_t, size_t, size_t)>;
inline void attachOutOfMemoryObserver(OutOfMemoryObserver) {}

using CreateContextFn = std::shared_ptr<GatheredContext> (*)();
enum struct RecordContext { NEVER = 0, STATE = 1, ALLOC = 2, ALL = 3 };
struct BlockInfo {
  size_t size = 0;
  bool allocated = false;
  std::shared_ptr<GatheredContext> context_when_allocated;
};
struct SegmentInfo {
  DeviceIndex device = 0;
  std::vector<BlockInfo> blocks;
};
struct SnapshotInfo {
  std::vector<SegmentInfo> segments;
};

/// What the stand-in saw: the recorder and the parameter count used.
inline CreateContextFn Recorder = nullptr;
inline int RecordHistoryArity = 0;
inline RecordContext When = RecordContext::NEVER;

inline SnapshotInfo snapshot(std::pair<uint64_t, uint64_t> = {0, 0}) {
  SnapshotInfo Snapshot;
  SegmentInfo Segment;
  Segment.device = 1;
  BlockInfo Tagged{512, true, Recorder ? Recorder() : nullptr};
  BlockInfo Foreign{1024, true, std::make_shared<GatheredContext>()};
  BlockInfo Free{2048, false, Recorder ? Recorder() : nullptr};
  Segment.blocks = {Tagged, Foreign, Free};
  Snapshot.segments.push_back(Segment);
  return Snapshot;
}

#if TORCH_TIDY_STAND_IN_ARITY == 4
inline void recordHistory(bool, CreateContextFn R, size_t, RecordContext W) {
  Recorder = R;
  When = W;
  RecordHistoryArity = 4;
}
#elif TORCH_TIDY_STAND_IN_ARITY == 5
inline void recordHistory(bool, CreateContextFn R, size_t, RecordContext W,
                          bool) {
  Recorder = R;
  When = W;
  RecordHistoryArity = 5;
}
#else
inline void recordHistory(bool, CreateContextFn R, size_t, RecordContext W,
                          bool, const std::vector<std::string> &) {
  Recorder = R;
  When = W;
  RecordHistoryArity = 6;
}
#endif
} // namespace cuda::CUDACachingAllocator
} // namespace c10
