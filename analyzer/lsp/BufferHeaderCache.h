//===--- BufferHeaderCache.h - Header cache for unsaved text ----*- C++ -*-===//
//
// The one place where the language server meets the header cache. The cache
// (HeaderCache.h) picks a file's precompiled prefix from the file as saved;
// the server analyses the editor's buffer. While the buffer's leading
// preprocessor lines equal the saved file's, the saved file's prefix is the
// buffer's too and the cache serves it; otherwise the buffer is parsed
// without a PCH (slower, never wrong). A cache that can read a buffer makes
// this gate unnecessary.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_LSP_BUFFERHEADERCACHE_H
#define TORCH_TIDY_ANALYZER_LSP_BUFFERHEADERCACHE_H

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "llvm/ADT/StringRef.h"

#include <functional>
#include <string>

namespace torch_tidy::lsp {

/// Called before (true) and after (false) the cache looks up or builds an
/// entry, so that the server can show progress while a PCH is built.
using CacheLookupListener = std::function<void(bool Starting)>;

/// An arguments adjuster that adds the cached PCH of \p Directory to the
/// command of the file whose unsaved text is \p BufferText.
clang::tooling::ArgumentsAdjuster
makeBufferHeaderCacheAdjuster(std::string Directory, std::string BufferText,
                              CacheLookupListener Listener);

} // namespace torch_tidy::lsp

#endif // TORCH_TIDY_ANALYZER_LSP_BUFFERHEADERCACHE_H
