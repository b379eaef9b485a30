//===--- FitCommand.h - `torch-tidy fit` ------------------------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_FITCOMMAND_H
#define TORCH_TIDY_ANALYZER_CONFIRM_FITCOMMAND_H

namespace torch_tidy {

/// `fit --memory SIZE --batch-sizes A,B,... [options] -- COMMAND...`: runs
/// the command at each batch size with the probe, fits each phase's peak
/// and prints the largest batch size that fits. Argv[0] is "fit".
/// Exit codes (docs/usage.md): 0 answered, 1 not even batch size 1 fits,
/// 2 bad arguments, 3 a run failed, 4 the runs give no answer.
int runFitCommand(int Argc, const char **Argv);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_FITCOMMAND_H
