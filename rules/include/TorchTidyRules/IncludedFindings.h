//===--- IncludedFindings.h - One finding reported for two checks -*- C++
//-*-===//
//
// Part of the rules' public interface. Where two checks see one defect, one
// reports it and names the other's finding in a note that ends with
// "(<rule>'s finding, reported here)" (rules/model/DefectOverlaps.h). The
// torch-tidy driver lists such notes under the finding's "includes".
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_INCLUDEDFINDINGS_H
#define TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_INCLUDEDFINDINGS_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace clang::tidy::torch {

/// The end of a note that reports \p Rule's finding as part of another's.
std::string includedFindingSuffix(llvm::StringRef Rule);

/// The rule whose finding \p NoteMessage reports, if it is such a note.
std::optional<llvm::StringRef> includedFindingRule(llvm::StringRef NoteMessage);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_INCLUDEDFINDINGS_H
