//===--- SourcePaths.h - Do two paths name one file? ------------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_SOURCEPATHS_H
#define TORCH_TIDY_ANALYZER_CONFIRM_SOURCEPATHS_H

#include <string>

namespace torch_tidy {

/// True when \p A and \p B name the same file. The probe records __FILE__,
/// which may be relative to the build directory, so a relative path matches
/// an absolute one that ends with the same components.
bool isSameSourceFile(const std::string &A, const std::string &B);

/// \p Path with "." removed and "dir/.." folded, without touching the file
/// system: "/b/examples/../../src/a.cpp" is "/src/a.cpp".
std::string normalizePath(const std::string &Path);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_SOURCEPATHS_H
