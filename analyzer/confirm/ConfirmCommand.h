//===--- ConfirmCommand.h - `torch-tidy confirm` ----------------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_CONFIRMCOMMAND_H
#define TORCH_TIDY_ANALYZER_CONFIRM_CONFIRMCOMMAND_H

#include "Symbolizer.h"

namespace torch_tidy {

/// `confirm --findings F --runtime R [--runtime R2 ...]`: each finding's
/// verdict from the runtime reports. Argv[0] is "confirm".
/// Exit codes: 0 done, 2 bad arguments or unreadable input. Origins are
/// named with \p MakeSymbolizer's symbolizer, or when it is null (the
/// build without LLVM) with a tool on PATH.
int runConfirmCommand(int Argc, const char **Argv,
                      SymbolizerFactory MakeSymbolizer = nullptr);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_CONFIRMCOMMAND_H
