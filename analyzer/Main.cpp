//===--- Main.cpp - The torch-tidy command --------------------------------===//

#include "AnalyzeCommand.h"
#include "LlvmSymbolizer.h"
#include "LspCommand.h"
#include "MergeCommand.h"
#include "confirm/ConfirmCommand.h"
#include "confirm/FitCommand.h"

#include <cstring>

int main(int Argc, const char **Argv) {
  // `confirm` needs no compiler; it has its own options.
  if (Argc > 1 && std::strcmp(Argv[1], "confirm") == 0)
    return torch_tidy::runConfirmCommand(Argc - 1, Argv + 1,
                                         &torch_tidy::makeLlvmSymbolizer);
  if (Argc > 1 && std::strcmp(Argv[1], "fit") == 0)
    return torch_tidy::runFitCommand(Argc - 1, Argv + 1);
  if (Argc > 1 && std::strcmp(Argv[1], "merge") == 0)
    return torch_tidy::runMergeCommand(Argc - 1, Argv + 1);
  if (Argc > 1 && std::strcmp(Argv[1], "summarize") == 0)
    return torch_tidy::runSummarizeCommand(Argc - 1, Argv + 1);
  if (Argc > 1 && std::strcmp(Argv[1], "lsp") == 0)
    return torch_tidy::runLspCommand(Argv[0], Argc - 1, Argv + 1);
  return torch_tidy::runAnalyzeCommand(Argc, Argv);
}
