#include "UserStackCache.h"
#include "UserFrames.h"

#include <atomic>
#include <new>

namespace torch_tidy::probe {

namespace {

/// What a lookup compares first, kept apart from the rest so that a
/// bucket's scan reads little memory.
struct Head {
  uintptr_t Key = 0;    // The stack pointer of the lookup; 0: empty.
  uintptr_t Slot0 = 0;  // Where the innermost user frame is stored; 0: none.
  uintptr_t Frame0 = 0; // That frame.
};
struct Body {
  uint32_t Stack = 0;
  uint32_t Uses = 0;
  int Count = 0;
  uintptr_t Frames[MaxUserFrames] = {};
  uintptr_t Slots[MaxUserFrames] = {}; // Where each frame is stored.
};
struct Bucket {
  Head Heads[StackCacheWays];
  Body Bodies[StackCacheWays];
  unsigned Next = 0; // The way the next miss replaces.
};

struct ThreadCache {
  Bucket *Buckets = nullptr;
  ~ThreadCache();
};
thread_local ThreadCache Cache;
// Set when the thread's cache is gone: a tensor freed or made during the
// thread's exit is then unwound in full.
thread_local bool CacheGone = false;
ThreadCache::~ThreadCache() {
  delete[] Buckets;
  Buckets = nullptr;
  CacheGone = true;
}

std::atomic<int64_t> Lookups{0}, Unwinds{0}, Audits{0}, Mismatches{0};

size_t bucketOf(uintptr_t Key) {
  // Stack pointers are 16-byte aligned at calls.
  uint64_t Mixed = static_cast<uint64_t>(Key >> 4) * 0x9E3779B97F4A7C15ull;
  return static_cast<size_t>(Mixed >> 32) % StackCacheBuckets;
}

/// The word stored at \p Slot. The slots lie in the callers' frames above
/// the lookup (same thread, same stack pointer), so they are mapped; a
/// plain load, not one that a sanitizer checks against the layout of
/// whichever frames are there now.
__attribute__((no_sanitize("address"))) uintptr_t stored(uintptr_t Slot) {
  return *reinterpret_cast<const volatile uintptr_t *>(Slot);
}

/// Whether every user frame is still stored where the entry found it.
bool holds(const Head &H, const Body &B) {
  if (H.Slot0 != 0 && stored(H.Slot0) != H.Frame0)
    return false;
  for (int I = 1; I < B.Count; ++I)
    if (stored(B.Slots[I]) != B.Frames[I])
      return false;
  return true;
}

/// Unwinds and interns; with \p Into, also fills that entry when every
/// frame's slot is known (or empties it).
uint32_t unwind(ModuleTable &Modules, InternUserFrames Intern, uintptr_t Key,
                Head *IntoHead, Body *IntoBody) {
  Unwinds.fetch_add(1, std::memory_order_relaxed);
  Body Found;
  Found.Count = captureUserFrames(Modules, Found.Frames, Found.Slots);
  Found.Stack = Found.Count > 0 ? Intern(Found.Frames, Found.Count) : 0;
  if (!IntoHead)
    return Found.Stack;
  bool Checkable = true;
  for (int I = 0; I < Found.Count; ++I)
    Checkable = Checkable && Found.Slots[I] != 0;
  *IntoHead = Head{};
  if (Checkable) {
    IntoHead->Key = Key;
    if (Found.Count > 0) {
      IntoHead->Slot0 = Found.Slots[0];
      IntoHead->Frame0 = Found.Frames[0];
    }
  }
  *IntoBody = Found;
  return Found.Stack;
}

bool sameFrames(const Body &A, const Body &B) {
  if (A.Count != B.Count)
    return false;
  for (int I = 0; I < A.Count; ++I)
    if (A.Frames[I] != B.Frames[I])
      return false;
  return true;
}

} // namespace

__attribute__((noinline)) uint32_t cachedUserStack(ModuleTable &Modules,
                                                   InternUserFrames Intern) {
  Lookups.fetch_add(1, std::memory_order_relaxed);
  auto Key = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (CacheGone)
    return unwind(Modules, Intern, 0, nullptr, nullptr);
  if (!Cache.Buckets) {
    Cache.Buckets = new (std::nothrow) Bucket[StackCacheBuckets];
    if (!Cache.Buckets)
      return unwind(Modules, Intern, 0, nullptr, nullptr);
  }
  Bucket &B = Cache.Buckets[bucketOf(Key)];
  int Way = 0;
  while (Way < StackCacheWays &&
         !(B.Heads[Way].Key == Key && holds(B.Heads[Way], B.Bodies[Way])))
    ++Way;
  if (Way == StackCacheWays) {
    Way = static_cast<int>(B.Next++ % StackCacheWays);
    return unwind(Modules, Intern, Key, &B.Heads[Way], &B.Bodies[Way]);
  }
  Body &Entry = B.Bodies[Way];
  if (++Entry.Uses % StackCacheAuditEvery != 0)
    return Entry.Stack;
  Audits.fetch_add(1, std::memory_order_relaxed);
  Body Cached = Entry;
  uint32_t Stack = unwind(Modules, Intern, Key, &B.Heads[Way], &Entry);
  if (!sameFrames(Cached, Entry))
    Mismatches.fetch_add(1, std::memory_order_relaxed);
  Entry.Uses = Cached.Uses;
  return Stack;
}

StackCacheCounts stackCacheCounts() {
  StackCacheCounts Counts;
  Counts.Lookups = Lookups.load(std::memory_order_relaxed);
  Counts.Unwinds = Unwinds.load(std::memory_order_relaxed);
  Counts.Audits = Audits.load(std::memory_order_relaxed);
  Counts.Mismatches = Mismatches.load(std::memory_order_relaxed);
  return Counts;
}

} // namespace torch_tidy::probe
