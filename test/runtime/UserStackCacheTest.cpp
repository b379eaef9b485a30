// The per-thread cache of user frames (UserStackCache.h): one unwinding per
// call site, and two call sites at the same stack depth never share an
// entry.
#include "UserStackCache.h"
#include "ModuleTable.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

namespace torch_tidy::probe {
namespace {

std::vector<std::vector<uintptr_t>> Interned;

uint32_t intern(const uintptr_t *Frames, int Count) {
  std::vector<uintptr_t> Stack(Frames, Frames + Count);
  for (size_t I = 0; I < Interned.size(); ++I)
    if (Interned[I] == Stack)
      return static_cast<uint32_t>(I + 1);
  Interned.push_back(Stack);
  return static_cast<uint32_t>(Interned.size());
}

ModuleTable *Modules = nullptr;
uint32_t Found = 0;

int lookUpAndCompare(const void *A, const void *B) {
  Found = cachedUserStack(*Modules, &intern);
  return *static_cast<const int *>(A) - *static_cast<const int *>(B);
}

/// Looks up from inside libc (qsort calls back): the frames above it are
/// this test's, as libtorch's operators sit under the user's code.
__attribute__((noinline)) uint32_t lookUpThroughLibrary() {
  int Pair[2] = {2, 1};
  std::qsort(Pair, 2, sizeof(int), &lookUpAndCompare);
  return Found;
}

TEST(UserStackCacheTest, OneUnwindingPerCallSiteAndNoSharing) {
  ModuleTable Table;
  Modules = &Table;
  constexpr int Rounds = 200;
  std::vector<uint32_t> First, Second;
  StackCacheCounts Before = stackCacheCounts();
  for (int I = 0; I < Rounds; ++I) {
    // Same function, same depth, two lines: the same stack pointer.
    First.push_back(lookUpThroughLibrary());
    Second.push_back(lookUpThroughLibrary());
  }
  StackCacheCounts After = stackCacheCounts();

  ASSERT_NE(First[0], 0u) << "no user frames found above libc";
  EXPECT_NE(First[0], Second[0]);
  for (int I = 0; I < Rounds; ++I) {
    EXPECT_EQ(First[static_cast<size_t>(I)], First[0]);
    EXPECT_EQ(Second[static_cast<size_t>(I)], Second[0]);
  }
  // One miss per call site, then an audit every 64th use of each, all of
  // which found the cached frames right.
  int64_t Audits = 2 * (Rounds / StackCacheAuditEvery);
  EXPECT_EQ(After.Lookups - Before.Lookups, 2 * Rounds);
  EXPECT_EQ(After.Audits - Before.Audits, Audits);
  EXPECT_EQ(After.Unwinds - Before.Unwinds, 2 + Audits);
  EXPECT_EQ(After.Mismatches - Before.Mismatches, 0);
}

} // namespace
} // namespace torch_tidy::probe
