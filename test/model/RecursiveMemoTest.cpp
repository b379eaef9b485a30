//===--- RecursiveMemoTest.cpp - One cycle policy
//--------------------------===//

#include "model/RecursiveMemo.h"

#include "gtest/gtest.h"

#include <functional>
#include <map>
#include <vector>

using namespace clang::tidy::torch;

namespace {

/// "Does node N reach a true leaf?" over a graph given as edges: the
/// question every flow of the model asks, by variables or functions.
struct Reach {
  std::map<int, std::vector<int>> Edges;
  std::map<int, bool> Leaves;
  CycleTracker Tracker;
  RecursiveMemo<int, bool> Memo{Tracker};
  int Computations = 0;

  bool ask(int N) {
    return Memo.get(N, false, [&] {
      ++Computations;
      if (Leaves[N])
        return true;
      for (int Next : Edges[N])
        if (ask(Next))
          return true;
      return false;
    });
  }
};

} // namespace

// `a = b; b = a; b = loss;`: a and b both carry what loss carries, whichever
// is asked first. The answer for the inner question was provisional and must
// not be cached.
TEST(RecursiveMemoTest, CycleAskedInBothOrders) {
  for (int First : {1, 2}) {
    Reach R;
    R.Edges = {{1, {2}}, {2, {1, 3}}};
    R.Leaves = {{3, true}};
    EXPECT_TRUE(R.ask(First));
    EXPECT_TRUE(R.ask(3 - First)) << "asked " << First << " first";
    EXPECT_TRUE(R.ask(First));
  }
}

TEST(RecursiveMemoTest, CycleWithoutLeafIsFalseAndCached) {
  Reach R;
  R.Edges = {{1, {2}}, {2, {1}}};
  EXPECT_FALSE(R.ask(1));
  int After = R.Computations;
  EXPECT_FALSE(R.ask(1));
  EXPECT_EQ(R.Computations, After);
  EXPECT_FALSE(R.ask(2));
}

TEST(RecursiveMemoTest, SettledAnswersAreCached) {
  Reach R;
  R.Edges = {{1, {2}}, {2, {3}}};
  R.Leaves = {{3, true}};
  EXPECT_TRUE(R.ask(1));
  int After = R.Computations;
  EXPECT_TRUE(R.ask(2));
  EXPECT_TRUE(R.ask(1));
  EXPECT_EQ(R.Computations, After);
}

// Two memos on one tracker: a provisional answer given by one keeps the
// other from caching what depended on it.
TEST(RecursiveMemoTest, SharedTrackerAcrossQuestions) {
  CycleTracker Tracker;
  RecursiveMemo<int, bool> Variables(Tracker);
  RecursiveMemo<int, bool> Returns(Tracker);
  bool LeafSeen = false;
  std::function<bool(int)> Variable, Return;
  // Variable 1 holds what function 10 returns; function 10 returns
  // variable 1 or, once it is known, the leaf.
  Variable = [&](int V) {
    return Variables.get(V, false, [&] { return Return(10); });
  };
  Return = [&](int F) {
    return Returns.get(F, false, [&] { return Variable(1) || LeafSeen; });
  };
  EXPECT_FALSE(Variable(1));
  // Function 10's answer used variable 1's provisional answer: not cached,
  // though variable 1's own (settled) answer was.
  EXPECT_EQ(Returns.cached(10), nullptr);
  ASSERT_NE(Variables.cached(1), nullptr);
}

TEST(RecursiveMemoTest, AssumptionsWin) {
  Reach R;
  R.Memo.set(5, true);
  R.Edges = {{4, {5}}};
  EXPECT_TRUE(R.ask(4));
}
