// What origins mode (TORCH_TIDY_ORIGINS=1) keeps with each live CPU tensor
// allocation: when and where it was made. Small and plain, so that it sits
// in the counting allocator's block map at no extra allocation.
#ifndef TORCH_TIDY_RUNTIME_ORIGINTAG_H
#define TORCH_TIDY_RUNTIME_ORIGINTAG_H

#include <cstdint>

namespace torch_tidy::probe {

struct OriginTag {
  /// The probe site whose iteration was running (a SiteKey in the probe's
  /// map); null before the first boundary or when origins mode is off.
  const void *Site = nullptr;
  int64_t Iteration = 0;
  uint32_t Stack = 0; // Interned user frames (Origins.cpp); 0: none.
  uint32_t Op = 0;    // Interned operator name; 0: outside any operator.
  bool InBackward = false; // Made by an autograd node's backward.
};

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_ORIGINTAG_H
