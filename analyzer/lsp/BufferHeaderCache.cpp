//===--- BufferHeaderCache.cpp - The header cache for unsaved text --------===//

#include "BufferHeaderCache.h"
#include "HeaderCache.h"

#include "llvm/Support/MemoryBuffer.h"

namespace torch_tidy::lsp {

std::string leadingDirectives(llvm::StringRef Text) {
  std::string Lines;
  bool InBlockComment = false;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    llvm::StringRef L = Line.trim();
    if (InBlockComment) {
      size_t End = L.find("*/");
      if (End == llvm::StringRef::npos)
        continue;
      InBlockComment = false;
      L = L.drop_front(End + 2).trim();
    }
    if (L.starts_with("/*")) {
      size_t End = L.find("*/", 2);
      if (End == llvm::StringRef::npos) {
        InBlockComment = true;
        continue;
      }
      L = L.drop_front(End + 2).trim();
    }
    if (L.empty() || L.starts_with("//"))
      continue;
    if (!L.starts_with("#"))
      break;
    Lines += L.str() + "\n";
  }
  return Lines;
}

clang::tooling::ArgumentsAdjuster
makeBufferHeaderCacheAdjuster(std::string Directory, std::string BufferText,
                              CacheLookupListener Listener) {
  clang::tooling::ArgumentsAdjuster Cache =
      makeHeaderCacheAdjuster(std::move(Directory), /*Log=*/false);
  std::string BufferLead = leadingDirectives(BufferText);
  return [Cache, BufferLead,
          Listener](const clang::tooling::CommandLineArguments &Args,
                    llvm::StringRef File) {
    auto Saved = llvm::MemoryBuffer::getFile(File, /*IsText=*/true);
    if (!Saved || leadingDirectives((*Saved)->getBuffer()) != BufferLead)
      return Args;
    if (Listener)
      Listener(true);
    clang::tooling::CommandLineArguments Adjusted = Cache(Args, File);
    if (Listener)
      Listener(false);
    return Adjusted;
  };
}

} // namespace torch_tidy::lsp
