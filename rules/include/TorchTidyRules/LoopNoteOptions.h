//===--- LoopNoteOptions.h - Global options of the loop notes ---*- C++ -*-===//
//
// Part of the rules' public interface: the torch-tidy driver sets these
// global options for its JSON output and for --instrument.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_LOOPNOTEOPTIONS_H
#define TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_LOOPNOTEOPTIONS_H

#include "llvm/ADT/StringRef.h"

namespace clang::tidy::torch {

/// Name of the global option that makes loop notes carry the loop's whole
/// source range. The torch-tidy driver turns it on to put the range into
/// its JSON output; in a terminal the range would underline the whole loop,
/// so it is off by default.
inline constexpr llvm::StringLiteral LoopRangeOption = "TorchLoopRangeInNote";

/// Name of the global option that makes loop notes also carry the loop
/// body's range as a second range (implies the loop's range first): from
/// its '{' to its '}', or for a body without braces from the end of the
/// loop header to the body's trailing ';'. `torch-tidy --instrument` puts
/// the probe's marker there.
inline constexpr llvm::StringLiteral LoopBodyOption = "TorchLoopBodyInNote";

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_LOOPNOTEOPTIONS_H
