//===--- Uri.cpp - file: URIs and paths -----------------------------------===//

#include "Uri.h"

#include "llvm/ADT/StringExtras.h"

namespace torch_tidy::lsp {

std::optional<std::string> pathFromUri(llvm::StringRef Uri) {
  if (!Uri.consume_front("file://"))
    return std::nullopt;
  // An authority other than empty or localhost names another machine.
  if (!Uri.starts_with("/")) {
    if (!Uri.consume_front("localhost"))
      return std::nullopt;
    if (!Uri.starts_with("/"))
      return std::nullopt;
  }
  std::string Path;
  for (size_t I = 0; I < Uri.size(); ++I) {
    char C = Uri[I];
    if (C == '?' || C == '#')
      break;
    if (C != '%') {
      Path += C;
      continue;
    }
    if (I + 2 >= Uri.size() || !llvm::isHexDigit(Uri[I + 1]) ||
        !llvm::isHexDigit(Uri[I + 2]))
      return std::nullopt;
    Path += static_cast<char>(llvm::hexFromNibbles(Uri[I + 1], Uri[I + 2]));
    I += 2;
  }
  if (Path.find('\0') != std::string::npos)
    return std::nullopt;
  return Path;
}

std::string uriFromPath(llvm::StringRef Path) {
  std::string Uri = "file://";
  for (char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-._~").contains(C)) {
      Uri += C;
      continue;
    }
    Uri += '%';
    Uri += llvm::hexdigit(static_cast<unsigned char>(C) >> 4);
    Uri += llvm::hexdigit(static_cast<unsigned char>(C) & 15);
  }
  return Uri;
}

} // namespace torch_tidy::lsp
