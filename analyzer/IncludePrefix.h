//===--- IncludePrefix.h - System headers a file starts with ----*- C++ -*-===//
//
// The part of a translation unit that the header cache precompiles: the
// leading `#include <...>` lines of the main file, or, when the main file
// starts by including its own header with quotes, those that header starts
// with after its include guard (following such headers a few levels).
// Nothing but guard macros comes before them in the translation unit, so a
// PCH of them, given with -include-pch, parses to the same program; the user
// headers themselves are parsed after it as usual.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_INCLUDEPREFIX_H
#define TORCH_TIDY_ANALYZER_INCLUDEPREFIX_H

#include "CommandShape.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <string>
#include <vector>

namespace torch_tidy {

/// The prefix of the translation unit whose main file \p MainFile (absolute)
/// has the text \p MainText, as `#include <...>` lines up to the last
/// libtorch one; "" when it does not start with system includes. Quoted
/// headers are looked up as clang does (beside the includer, then the user
/// directories of \p Shape) and read from \p FS.
std::string includePrefix(llvm::StringRef MainFile, llvm::StringRef MainText,
                          const CommandShape &Shape, llvm::vfs::FileSystem &FS);

/// The directives of a file (without their '#'), in order, up to the first
/// line that is neither a directive, a comment nor blank: the part of a
/// file that decides its prefix.
std::vector<llvm::StringRef> leadingDirectives(llvm::StringRef Text);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_INCLUDEPREFIX_H
