// Origins mode's user frames without unwinding the whole stack at every
// operator: a per-thread cache of the frames found at each stack depth.
// A training loop allocates from the same call sites every iteration, and
// the same call path reaches the probe at the same stack pointer each
// time; so the stack pointer is the key. Two call sites at the same depth
// (two `clone()` lines in one function) share a key: an entry also keeps
// where on the stack each user return address was found, and it is used
// only while every one of those slots still holds its address. Every 64th
// use of an entry unwinds anyway and compares (an audit); the report
// counts the mismatches. See docs/runtime.md.
#ifndef TORCH_TIDY_RUNTIME_USERSTACKCACHE_H
#define TORCH_TIDY_RUNTIME_USERSTACKCACHE_H

#include "ModuleTable.h"

#include <cstdint>

namespace torch_tidy::probe {

/// A thread's cache (made at its first lookup): entries in buckets by
/// stack pointer; one bucket holds the call sites of one depth, up to its
/// number of ways, and more evict each other in turn.
inline constexpr int StackCacheBuckets = 32;
inline constexpr int StackCacheWays = 16;
/// One use in this many unwinds anyway and checks the entry.
inline constexpr uint32_t StackCacheAuditEvery = 64;

/// Interns user frames (innermost first) and returns their id; 0: none.
using InternUserFrames = uint32_t (*)(const uintptr_t *Frames, int Count);

/// The id that \p Intern gives the user frames of the calling stack
/// (captureUserFrames), unwinding only when this thread's cache has no
/// valid entry for the caller's stack depth. May throw what \p Intern
/// throws.
uint32_t cachedUserStack(ModuleTable &Modules, InternUserFrames Intern);

/// What the caches did, over all threads, since the start.
struct StackCacheCounts {
  int64_t Lookups = 0;    // cachedUserStack calls.
  int64_t Unwinds = 0;    // Of them, stack unwindings (misses and audits).
  int64_t Audits = 0;     // Hits checked by unwinding.
  int64_t Mismatches = 0; // Audits whose entry named other frames.
};
StackCacheCounts stackCacheCounts();

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_USERSTACKCACHE_H
