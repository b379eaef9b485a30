#include "UserFrames.h"

#include <cstring>
#include <unwind.h>

namespace torch_tidy::probe {

namespace {

struct Unwound {
  uintptr_t Frames[MaxUnwoundFrames];
  uintptr_t Cfas[MaxUnwoundFrames];
  int Count = 0;
};

_Unwind_Reason_Code collectFrame(_Unwind_Context *Context, void *Data) {
  auto &Stack = *static_cast<Unwound *>(Data);
  uintptr_t Ip = _Unwind_GetIP(Context);
  if (Ip == 0)
    return _URC_END_OF_STACK;
  Stack.Cfas[Stack.Count] = _Unwind_GetCFA(Context);
  Stack.Frames[Stack.Count++] = Ip;
  return Stack.Count == MaxUnwoundFrames ? _URC_END_OF_STACK : _URC_NO_REASON;
}

/// Where frame \p I's return address is stored: just below the CFA that
/// the unwinder reports with it (the x86-64 call convention). Checked
/// against the stack itself, so another layout gives 0 (unknown).
uintptr_t slotOf(const Unwound &Stack, int I) {
  uintptr_t Cfa = Stack.Cfas[I];
  if (Cfa < sizeof(uintptr_t))
    return 0;
  uintptr_t Slot = Cfa - sizeof(uintptr_t);
  uintptr_t Stored;
  std::memcpy(&Stored, reinterpret_cast<const void *>(Slot), sizeof(Stored));
  return Stored == Stack.Frames[I] ? Slot : 0;
}

} // namespace

int captureUserFrames(ModuleTable &Modules, uintptr_t *Out, uintptr_t *Slots) {
  Unwound Stack;
  _Unwind_Backtrace(&collectFrame, &Stack);
  int Module[MaxUnwoundFrames];
  bool IsLibrary[MaxUnwoundFrames];
  Modules.classify(Stack.Frames, Stack.Count, Module, IsLibrary);
  int First = 0;
  while (First < Stack.Count && !IsLibrary[First])
    ++First; // The probe's own frames, when it is linked statically.
  int Kept = 0;
  for (int I = First; I < Stack.Count && Kept < MaxUserFrames; ++I)
    if (!IsLibrary[I]) {
      if (Slots)
        Slots[Kept] = slotOf(Stack, I);
      Out[Kept++] = Stack.Frames[I];
    }
  return Kept;
}

} // namespace torch_tidy::probe
