//===--- BufferHeaderCache.cpp - The header cache for unsaved text --------===//

#include "BufferHeaderCache.h"
#include "HeaderCache.h"
#include "IncludePrefix.h"

#include "llvm/Support/MemoryBuffer.h"

namespace torch_tidy::lsp {

namespace {

/// The leading directives of \p Text, as owned strings.
std::vector<std::string> ownedLeadingDirectives(llvm::StringRef Text) {
  std::vector<std::string> Lines;
  for (llvm::StringRef Line : leadingDirectives(Text))
    Lines.push_back(Line.str());
  return Lines;
}

} // namespace

clang::tooling::ArgumentsAdjuster
makeBufferHeaderCacheAdjuster(std::string Directory, std::string BufferText,
                              CacheLookupListener Listener) {
  clang::tooling::ArgumentsAdjuster Cache =
      makeHeaderCacheAdjuster(std::move(Directory), /*Log=*/false);
  std::vector<std::string> BufferLead = ownedLeadingDirectives(BufferText);
  return [Cache, BufferLead,
          Listener](const clang::tooling::CommandLineArguments &Args,
                    llvm::StringRef File) {
    auto Saved = llvm::MemoryBuffer::getFile(File, /*IsText=*/true);
    if (!Saved || ownedLeadingDirectives((*Saved)->getBuffer()) != BufferLead)
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
