//===--- RecursiveMemo.h - Answers to recursive questions, cached -*- C++
//-*-===//
//
// The model's questions call each other: whether `h` carries a graph asks
// what is stored into `h`, which may ask about `h` again (`h = cell(x, h)`)
// or about what a function returns, which asks about its variables. One
// policy for all of them: a question asked again while it is being answered
// gets a provisional answer (no: the least fixed point of "any of these
// carries"), and an answer that used a provisional answer of a question
// still open further out is not cached, since that outer answer may still
// change it. Questions that call each other share one CycleTracker, so the
// rule holds across them.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_RECURSIVEMEMO_H
#define TORCH_TIDY_RULES_MODEL_RECURSIVEMEMO_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <algorithm>
#include <limits>

namespace clang::tidy::torch {

/// The questions open now, as depths of one stack.
class CycleTracker {
public:
  static constexpr unsigned None = std::numeric_limits<unsigned>::max();

private:
  template <typename, typename> friend class RecursiveMemo;
  unsigned Depth = 0;
  /// The outermost open question that a provisional answer was given for
  /// since the current question began.
  unsigned LowestProvisional = None;
};

template <typename Key, typename Value> class RecursiveMemo {
public:
  explicit RecursiveMemo(CycleTracker &Tracker) : Tracker(Tracker) {}

  /// The answer for \p K: cached, \p Provisional when \p K is being
  /// answered already, else \p Compute's.
  Value get(const Key &K, const Value &Provisional,
            llvm::function_ref<Value()> Compute) {
    if (auto Known = Done.find(K); Known != Done.end())
      return Known->second;
    if (auto Open = OpenAt.find(K); Open != OpenAt.end()) {
      Tracker.LowestProvisional =
          std::min(Tracker.LowestProvisional, Open->second);
      return Provisional;
    }
    const unsigned Depth = Tracker.Depth++;
    OpenAt[K] = Depth;
    const unsigned Outer = Tracker.LowestProvisional;
    Tracker.LowestProvisional = CycleTracker::None;
    Value Answer = Compute();
    --Tracker.Depth;
    OpenAt.erase(K);
    // Provisional answers of this question itself are settled now; those
    // of questions further out are not.
    const bool Settled = Tracker.LowestProvisional >= Depth;
    if (Settled)
      Done[K] = Answer;
    Tracker.LowestProvisional = std::min(
        Outer, Settled ? CycleTracker::None : Tracker.LowestProvisional);
    return Answer;
  }

  /// Fixes the answer for \p K (an assumption the caller makes).
  void set(const Key &K, const Value &V) { Done[K] = V; }

  /// The cached answer for \p K, if any.
  const Value *cached(const Key &K) const {
    auto Known = Done.find(K);
    return Known == Done.end() ? nullptr : &Known->second;
  }

  /// Forgets every answer (between translation units).
  void clear() {
    Done.clear();
    OpenAt.clear();
  }

private:
  CycleTracker &Tracker;
  llvm::DenseMap<Key, Value> Done;
  llvm::DenseMap<Key, unsigned> OpenAt;
};

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_RECURSIVEMEMO_H
