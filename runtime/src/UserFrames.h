// The user's frames on the current stack: the return addresses above the
// outermost run of library code (libtorch, the runtimes, the probe), found
// by unwinding with the binaries' unwind tables (no frame pointers needed).
#ifndef TORCH_TIDY_RUNTIME_USERFRAMES_H
#define TORCH_TIDY_RUNTIME_USERFRAMES_H

#include "ModuleTable.h"

#include <cstdint>

namespace torch_tidy::probe {

/// The deepest frames the probe looks at, and the user frames it keeps.
inline constexpr int MaxUnwoundFrames = 64;
inline constexpr int MaxUserFrames = 8;

/// Writes up to MaxUserFrames return addresses of user code, innermost
/// first, to \p Out and returns their count: the frames in non-library
/// modules that follow the first library frame (the probe's own frames in
/// the user's executable come first and are skipped). Several are kept
/// because libtorch's inline headers compile into the user's binary too;
/// `confirm` picks the first whose source is the user's.
///
/// With \p Slots, also writes where on the stack each of those return
/// addresses is stored (so that a later call can check that they are
/// still there, UserStackCache.h), or 0 where that is not known.
int captureUserFrames(ModuleTable &Modules, uintptr_t *Out,
                      uintptr_t *Slots = nullptr);

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_USERFRAMES_H
