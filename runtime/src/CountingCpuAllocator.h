// A CPU allocator that wraps libtorch's and counts the bytes of live CPU
// tensor storage, on every thread, exactly.
#ifndef TORCH_TIDY_RUNTIME_COUNTINGCPUALLOCATOR_H
#define TORCH_TIDY_RUNTIME_COUNTINGCPUALLOCATOR_H

#include "OriginTag.h"
#include "TorchCompat.h"

#include <c10/core/Allocator.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace torch_tidy::probe {

class CountingCpuAllocator : public c10::Allocator {
public:
  /// Installs the counting allocator in front of the current CPU allocator.
  /// Call once; the allocator lives until the process ends.
  static CountingCpuAllocator &install();

  /// The installed allocator, or null before install().
  static CountingCpuAllocator *installed();

  /// Called with the requested size and libtorch's message when the wrapped
  /// allocator throws; the exception then propagates unchanged. Must not
  /// throw.
  using FailureHandler = void (*)(size_t Bytes, const char *Message) noexcept;
  void setFailureHandler(FailureHandler Handler) {
    OnFailure.store(Handler, std::memory_order_release);
  }

  /// Origins mode: fills the tag of each new block. Must not throw. Unset
  /// (the default), allocation pays one load and branch.
  using OriginTagger = void (*)(OriginTag &Tag) noexcept;
  void setOriginTagger(OriginTagger Tagger) {
    Tag.store(Tagger, std::memory_order_release);
  }

  /// Calls \p Visit with the size and tag of every live block, one shard
  /// lock at a time. \p Visit must not allocate tensors.
  void forEachLiveBlock(
      const std::function<void(size_t Bytes, const OriginTag &Tag)> &Visit)
      const;

  int64_t liveBytes() const { return Live.load(std::memory_order_relaxed); }
  int64_t peakBytes() const { return Peak.load(std::memory_order_relaxed); }
  /// Starts a new peak window at the current live bytes.
  void resetPeak() { Peak.store(liveBytes(), std::memory_order_relaxed); }

  // No `override` below: the signatures differ between libtorch versions
  // (TorchCompat.h), and each matches the base class of the one it is built
  // against.
  c10::DataPtr allocate(size_t Bytes) TORCH_TIDY_ALLOCATE_QUALIFIER;
  c10::DeleterFnPtr raw_deleter() const;
  void copy_data(void *Dest, const void *Src, std::size_t Count) const;

private:
  explicit CountingCpuAllocator(c10::Allocator *Inner) : Inner(Inner) {}

  /// What freeing a block needs: its size and the wrapped allocator's own
  /// deleter and context.
  struct Block {
    size_t Bytes;
    void *InnerContext;
    c10::DeleterFnPtr InnerDeleter;
    OriginTag Origin; // Empty unless origins mode is on.
  };
  struct Shard {
    std::mutex Mutex;
    std::unordered_map<void *, Block> Blocks;
  };
  static constexpr size_t ShardCount = 32;

  static void deleteCounted(void *Data);
  Shard &shardFor(void *Data) const;
  void recordAllocation(void *Data, const Block &Info) const;

  c10::Allocator *Inner;
  mutable std::array<Shard, ShardCount> Shards;
  mutable std::atomic<int64_t> Live{0};
  mutable std::atomic<int64_t> Peak{0};
  std::atomic<FailureHandler> OnFailure{nullptr};
  std::atomic<OriginTagger> Tag{nullptr};
};

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_COUNTINGCPUALLOCATOR_H
