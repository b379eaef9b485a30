#include "CountingCpuAllocator.h"

#include <c10/core/CPUAllocator.h>
#include <c10/util/Exception.h>

#include <cstring>
#include <functional>

namespace torch_tidy::probe {

namespace {
std::atomic<CountingCpuAllocator *> InstalledAllocator{nullptr};
// Above c10's default allocator (priority 0) and mobile caching allocators.
constexpr uint8_t CountingAllocatorPriority = 200;
} // namespace

CountingCpuAllocator &CountingCpuAllocator::install() {
  static CountingCpuAllocator *Allocator = [] {
    // Never destroyed: tensors may be freed during static destruction.
    auto *Created = new CountingCpuAllocator(c10::GetCPUAllocator());
    c10::SetCPUAllocator(Created, CountingAllocatorPriority);
    InstalledAllocator.store(Created);
    return Created;
  }();
  return *Allocator;
}

CountingCpuAllocator *CountingCpuAllocator::installed() {
  return InstalledAllocator.load();
}

CountingCpuAllocator::Shard &CountingCpuAllocator::shardFor(void *Data) const {
  // Allocations are at least 16-byte aligned; drop the always-zero bits.
  size_t Hash = std::hash<uintptr_t>()(reinterpret_cast<uintptr_t>(Data) >> 6);
  return Shards[Hash % ShardCount];
}

void CountingCpuAllocator::recordAllocation(void *Data,
                                            const Block &Info) const {
  {
    Shard &S = shardFor(Data);
    std::lock_guard<std::mutex> Lock(S.Mutex);
    S.Blocks[Data] = Info;
  }
  int64_t Now = Live.fetch_add(static_cast<int64_t>(Info.Bytes),
                               std::memory_order_relaxed) +
                static_cast<int64_t>(Info.Bytes);
  int64_t Seen = Peak.load(std::memory_order_relaxed);
  while (Now > Seen &&
         !Peak.compare_exchange_weak(Seen, Now, std::memory_order_relaxed)) {
  }
}

c10::DataPtr
CountingCpuAllocator::allocate(size_t Bytes) TORCH_TIDY_ALLOCATE_QUALIFIER {
  c10::DataPtr InnerPtr;
  try {
    InnerPtr = Inner->allocate(Bytes);
  } catch (const c10::Error &Failure) {
    if (FailureHandler Handler = OnFailure.load(std::memory_order_acquire))
      Handler(Bytes, Failure.what_without_backtrace());
    throw; // The same exception object, unchanged.
  }
  void *Data = InnerPtr.get();
  if (!Data)
    return InnerPtr; // Zero-byte tensors own no storage.
  c10::Device Device = InnerPtr.device();
  c10::DeleterFnPtr InnerDeleter = InnerPtr.get_deleter();
  void *InnerContext = InnerPtr.release_context();
  Block Info{Bytes, InnerContext, InnerDeleter, OriginTag{}};
  if (OriginTagger Tagger = Tag.load(std::memory_order_acquire))
    Tagger(Info.Origin); // Before any lock: it may unwind the stack.
  recordAllocation(Data, Info);
  // The context is the data pointer itself, so raw_allocate keeps working.
  return c10::DataPtr(Data, Data, &CountingCpuAllocator::deleteCounted, Device);
}

void CountingCpuAllocator::deleteCounted(void *Data) {
  CountingCpuAllocator *Self = InstalledAllocator.load();
  Block Info{};
  {
    Shard &S = Self->shardFor(Data);
    std::lock_guard<std::mutex> Lock(S.Mutex);
    auto It = S.Blocks.find(Data);
    if (It == S.Blocks.end())
      return; // Not ours; cannot happen with our own deleter.
    Info = It->second;
    S.Blocks.erase(It);
  }
  Self->Live.fetch_sub(static_cast<int64_t>(Info.Bytes),
                       std::memory_order_relaxed);
  if (Info.InnerDeleter)
    Info.InnerDeleter(Info.InnerContext);
}

void CountingCpuAllocator::forEachLiveBlock(
    const std::function<void(size_t, const OriginTag &)> &Visit) const {
  for (Shard &S : Shards) {
    std::lock_guard<std::mutex> Lock(S.Mutex);
    for (const auto &Entry : S.Blocks)
      Visit(Entry.second.Bytes, Entry.second.Origin);
  }
}

c10::DeleterFnPtr CountingCpuAllocator::raw_deleter() const {
  return &CountingCpuAllocator::deleteCounted;
}

void CountingCpuAllocator::copy_data(void *Dest, const void *Src,
                                     std::size_t Count) const {
  std::memcpy(Dest, Src, Count);
}

} // namespace torch_tidy::probe
