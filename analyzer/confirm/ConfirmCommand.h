//===--- ConfirmCommand.h - `torch-tidy confirm` ----------------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_CONFIRMCOMMAND_H
#define TORCH_TIDY_ANALYZER_CONFIRM_CONFIRMCOMMAND_H

namespace torch_tidy {

/// `confirm --findings F --runtime R [--runtime R2 ...]`: each finding's
/// verdict from the runtime reports. Argv[0] is "confirm".
/// Exit codes: 0 done, 2 bad arguments or unreadable input.
int runConfirmCommand(int Argc, const char **Argv);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_CONFIRMCOMMAND_H
