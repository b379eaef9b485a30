//===--- HeaderLookups.cpp - Include lookups a PCH depends on -------------===//

#include "HeaderLookups.h"

#include "clang/Basic/IdentifierTable.h"
#include "clang/Lex/Token.h"
#include "llvm/Support/Path.h"

namespace path = llvm::sys::path;

namespace torch_tidy {

std::string LookupRecorder::includerOf(clang::SourceLocation Loc) {
  clang::FileID ID = SM.getFileID(SM.getExpansionLoc(Loc));
  clang::OptionalFileEntryRef Entry = SM.getFileEntryRefForID(ID);
  return Entry ? absolutePath(Entry->getName(), WorkingDirectory) : "";
}

bool LookupRecorder::isInUserDir(llvm::StringRef Path, bool OrBelow) const {
  for (const std::vector<std::string> *Dirs :
       {&Builder.QuoteDirs, &Builder.AngledDirs})
    for (const std::string &Dir : *Dirs)
      if (Path == Dir || (OrBelow && Path.starts_with(Dir) &&
                          path::is_separator(Path[Dir.size()])))
        return true;
  return false;
}

void LookupRecorder::add(llvm::StringRef Name, bool Angled,
                         std::string InUserDirs) {
  if (!Seen.insert((Angled ? "<" : "\"") + Name.str()).second)
    return;
  Record.Lookups.push_back({Name.str(), Angled, std::move(InUserDirs)});
}

void LookupRecorder::InclusionDirective(
    clang::SourceLocation HashLoc, const clang::Token &IncludeTok,
    llvm::StringRef FileName, bool IsAngled, clang::CharSourceRange,
    clang::OptionalFileEntryRef File, llvm::StringRef SearchPath,
    llvm::StringRef, const clang::Module *, bool,
    clang::SrcMgr::CharacteristicKind) {
  std::string Includer = includerOf(HashLoc);
  std::string FoundIn =
      SearchPath.empty() ? "" : absolutePath(SearchPath, WorkingDirectory);
  // Found beside its includer: the search directories never came into it.
  if (!IsAngled && File && !FoundIn.empty() &&
      FoundIn == path::parent_path(Includer))
    return;
  const clang::IdentifierInfo *Directive = IncludeTok.getIdentifierInfo();
  if (Directive && Directive->getPPKeywordID() == clang::tok::pp_include_next) {
    // The search goes on after the includer's directory: from a system
    // directory, that is system directories only.
    if (!SM.isInSystemHeader(HashLoc) ||
        isInUserDir(Includer, /*OrBelow=*/true))
      Record.Shareable = false;
    return;
  }
  std::string InUserDirs = findInUserDirs(FileName, IsAngled, Builder);
  std::string Actual =
      File ? absolutePath(File->getName(), WorkingDirectory) : "";
  // Where the model sends the lookup must be where clang found it.
  if (InUserDirs.empty() ? isInUserDir(FoundIn, /*OrBelow=*/false)
                         : InUserDirs != Actual)
    Record.Shareable = false;
  add(FileName, IsAngled, std::move(InUserDirs));
}

void LookupRecorder::HasInclude(clang::SourceLocation Loc,
                                llvm::StringRef FileName, bool IsAngled,
                                clang::OptionalFileEntryRef,
                                clang::SrcMgr::CharacteristicKind) {
  // __has_include_next looks like __has_include here. From a system header
  // outside the user directories, __has_include_next searches system
  // directories only and __has_include the user ones first: either way the
  // same user-directory result keeps the answer.
  std::string Includer = includerOf(Loc);
  if (!SM.isInSystemHeader(SM.getExpansionLoc(Loc)) ||
      isInUserDir(Includer, /*OrBelow=*/true))
    Record.Shareable = false;
  add(FileName, IsAngled, findInUserDirs(FileName, IsAngled, Builder));
}

bool lookupsAlike(const std::vector<HeaderLookup> &Lookups,
                  const CommandShape &Shape) {
  for (const HeaderLookup &Lookup : Lookups)
    if (findInUserDirs(Lookup.Name, Lookup.Angled, Shape) != Lookup.InUserDirs)
      return false;
  return true;
}

} // namespace torch_tidy
