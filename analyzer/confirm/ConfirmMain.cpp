//===--- ConfirmMain.cpp - `torch-tidy-confirm` without LLVM --------------===//

#include "ConfirmCommand.h"
#include "FitCommand.h"

#include <cstring>

int main(int Argc, const char **Argv) {
  // `torch-tidy-confirm fit ...` is `torch-tidy fit ...`: the machines
  // without LLVM are often the ones with the GPU.
  if (Argc > 1 && std::strcmp(Argv[1], "fit") == 0)
    return torch_tidy::runFitCommand(Argc - 1, Argv + 1);
  return torch_tidy::runConfirmCommand(Argc, Argv);
}
