//===--- Uri.h - file: URIs and paths ---------------------------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_LSP_URI_H
#define TORCH_TIDY_ANALYZER_LSP_URI_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace torch_tidy::lsp {

/// The absolute path of a `file:` URI (percent-decoded), or nullopt for
/// other schemes and malformed URIs.
std::optional<std::string> pathFromUri(llvm::StringRef Uri);

/// The `file://` URI of an absolute path.
std::string uriFromPath(llvm::StringRef Path);

} // namespace torch_tidy::lsp

#endif // TORCH_TIDY_ANALYZER_LSP_URI_H
