#include "UserFrames.h"

#include <unwind.h>

namespace torch_tidy::probe {

namespace {

struct Unwound {
  uintptr_t Frames[MaxUnwoundFrames];
  int Count = 0;
};

_Unwind_Reason_Code collectFrame(_Unwind_Context *Context, void *Data) {
  auto &Stack = *static_cast<Unwound *>(Data);
  uintptr_t Ip = _Unwind_GetIP(Context);
  if (Ip == 0)
    return _URC_END_OF_STACK;
  Stack.Frames[Stack.Count++] = Ip;
  return Stack.Count == MaxUnwoundFrames ? _URC_END_OF_STACK : _URC_NO_REASON;
}

} // namespace

int captureUserFrames(ModuleTable &Modules, uintptr_t *Out) {
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
    if (!IsLibrary[I])
      Out[Kept++] = Stack.Frames[I];
  return Kept;
}

} // namespace torch_tidy::probe
