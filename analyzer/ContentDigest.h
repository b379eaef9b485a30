//===--- ContentDigest.h - Digests that key the caches ----------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONTENTDIGEST_H
#define TORCH_TIDY_ANALYZER_CONTENTDIGEST_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace torch_tidy {

/// 32 hex digits of the SHA-256 of \p Text: a cache key or a file's
/// version.
std::string contentDigest(llvm::StringRef Text);

/// contentDigest of the file at \p Path, or nullopt when it cannot be read.
std::optional<std::string> fileContentDigest(llvm::StringRef Path);

/// What names this build of torch-tidy in the keys of cached results: its
/// version, and the size and time of its executable, so that a rebuilt
/// model does not reuse what an older build concluded.
const std::string &toolIdentity();

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONTENTDIGEST_H
