//===--- TorchCheckBase.cpp - What every torch- check shares --------------===//

#include "TorchCheckBase.h"

namespace clang::tidy::torch {

void TorchCheckBase::noteLoop(const Stmt *Loop, StringRef Message) {
  DiagnosticBuilder Note =
      diag(Loop->getBeginLoc(), Message, DiagnosticIDs::Note);
  if (LoopRangeInNote)
    Note << Loop->getSourceRange();
}

} // namespace clang::tidy::torch
