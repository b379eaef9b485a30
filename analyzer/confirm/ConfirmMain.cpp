//===--- ConfirmMain.cpp - `torch-tidy-confirm` without LLVM --------------===//

#include "ConfirmCommand.h"

int main(int Argc, const char **Argv) {
  return torch_tidy::runConfirmCommand(Argc, Argv);
}
