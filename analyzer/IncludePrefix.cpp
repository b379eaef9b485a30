//===--- IncludePrefix.cpp - The system headers a file starts with --------===//

#include "IncludePrefix.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace path = llvm::sys::path;

namespace torch_tidy {

namespace {

/// How many of a project's own headers, each the first directive of the
/// previous one, are followed to the system includes.
constexpr int MaxUserHeaderDepth = 8;

bool isLibtorchInclude(llvm::StringRef Name) {
  for (llvm::StringRef Top : {"torch/", "ATen/", "c10/", "caffe2/"})
    if (Name.starts_with(Top))
      return true;
  return false;
}

/// The word after a directive's name, or "".
llvm::StringRef operand(llvm::StringRef Directive, llvm::StringRef Name) {
  if (!Directive.consume_front(Name) || Directive.empty() ||
      !llvm::isSpace(Directive.front()))
    return "";
  return Directive.trim().split(' ').first.split('\t').first;
}

class PrefixScanner {
public:
  PrefixScanner(const CommandShape &Shape, llvm::vfs::FileSystem &FS)
      : Shape(Shape), FS(FS) {}

  std::string scan(llvm::StringRef File, llvm::StringRef Text, bool InHeader,
                   int Depth) {
    std::vector<llvm::StringRef> Directives = leadingDirectives(Text);
    size_t I = 0;
    // An include guard at the top of a header: `#ifndef X` `#define X`, or
    // `#pragma once`. Either only stops a second inclusion, which a PCH
    // made of what follows does not change.
    if (InHeader && I < Directives.size()) {
      llvm::StringRef Guard = operand(Directives[I], "ifndef");
      if (!Guard.empty()) {
        if (I + 1 >= Directives.size() ||
            operand(Directives[I + 1], "define") != Guard)
          return "";
        I += 2;
      } else if (operand(Directives[I], "pragma") == "once") {
        ++I;
      }
    }
    std::string Prefix;
    size_t LibtorchEnd = 0;
    for (; I < Directives.size(); ++I) {
      llvm::StringRef Include = Directives[I];
      if (!Include.consume_front("include"))
        break;
      Include = Include.ltrim();
      if (Include.starts_with("\"")) {
        // The project's own header, first: its system includes are the
        // prefix.
        if (!Prefix.empty() || Depth >= MaxUserHeaderDepth)
          break;
        llvm::StringRef Name = Include.drop_front().split('"').first;
        std::string Header = findQuoted(Name, File);
        if (Header.empty())
          break;
        auto Buffer = FS.getBufferForFile(Header);
        if (!Buffer)
          break;
        return scan(Header, (*Buffer)->getBuffer(), /*InHeader=*/true,
                    Depth + 1);
      }
      size_t Close = Include.find('>');
      if (!Include.starts_with("<") || Close == llvm::StringRef::npos)
        break;
      llvm::StringRef After = Include.drop_front(Close + 1).trim();
      if (!After.empty() && !After.starts_with("//"))
        break;
      llvm::StringRef Name = Include.take_front(Close).drop_front();
      Prefix += "#include <" + Name.str() + ">\n";
      if (isLibtorchInclude(Name))
        LibtorchEnd = Prefix.size();
    }
    // Up to the last libtorch header: the standard headers after it cost
    // little, and files that differ only there share one PCH.
    return LibtorchEnd ? Prefix.substr(0, LibtorchEnd) : Prefix;
  }

private:
  /// Where clang finds `#include "Name"` written in \p Includer: beside it,
  /// then in the -iquote and -I directories; "" when elsewhere (a system
  /// header is not the project's own).
  std::string findQuoted(llvm::StringRef Name, llvm::StringRef Includer) {
    if (path::is_absolute(Name))
      return FS.exists(Name) ? Name.str() : "";
    llvm::SmallString<256> Beside(path::parent_path(Includer));
    path::append(Beside, Name);
    if (FS.exists(Beside))
      return std::string(Beside);
    if (!Shape.UserDirsModelled)
      return "";
    for (const std::vector<std::string> *Dirs :
         {&Shape.QuoteDirs, &Shape.AngledDirs})
      for (const std::string &Dir : *Dirs) {
        llvm::SmallString<256> Candidate(Dir);
        path::append(Candidate, Name);
        if (FS.exists(Candidate))
          return std::string(Candidate);
      }
    return "";
  }

  const CommandShape &Shape;
  llvm::vfs::FileSystem &FS;
};

} // namespace

std::vector<llvm::StringRef> leadingDirectives(llvm::StringRef Text) {
  std::vector<llvm::StringRef> Directives;
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
    if (L.starts_with("/*") && !L.contains("*/")) {
      InBlockComment = true;
      continue;
    }
    if (L.empty() || L.starts_with("//") ||
        (L.starts_with("/*") && L.ends_with("*/")))
      continue;
    if (!L.consume_front("#"))
      break;
    Directives.push_back(L.ltrim());
  }
  return Directives;
}

std::string includePrefix(llvm::StringRef MainFile, llvm::StringRef MainText,
                          const CommandShape &Shape,
                          llvm::vfs::FileSystem &FS) {
  return PrefixScanner(Shape, FS).scan(MainFile, MainText, /*InHeader=*/false,
                                       0);
}

} // namespace torch_tidy
