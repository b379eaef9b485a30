//===--- HeaderLookups.h - Include lookups a PCH depends on -----*- C++ -*-===//
//
// A PCH built with one target's -I directories can serve another target's
// files when every header lookup it made would find the same file with the
// other's directories. The PCH's build records each lookup whose result the
// user directories could change (the name, and what they found: usually
// nothing, the file being a system header); a command may use the PCH when
// its own directories find the same for all of them.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_HEADERLOOKUPS_H
#define TORCH_TIDY_ANALYZER_HEADERLOOKUPS_H

#include "CommandShape.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/PPCallbacks.h"

#include <set>
#include <string>
#include <vector>

namespace torch_tidy {

struct HeaderLookup {
  std::string Name;
  bool Angled = false;
  /// What the user directories gave for it: a path, or "" (none had it).
  std::string InUserDirs;
};

/// What a PCH build learnt about its lookups.
struct LookupRecord {
  std::vector<HeaderLookup> Lookups;
  /// False when a lookup's result depends on the user directories in a way
  /// not recorded (#include_next from a user directory, a lookup that did
  /// not go where the model says): the PCH then serves only commands with
  /// the same user directories.
  bool Shareable = true;
};

/// Records the lookups of a PCH build run with \p Builder's flags in
/// \p WorkingDirectory.
class LookupRecorder : public clang::PPCallbacks {
public:
  LookupRecorder(clang::SourceManager &SM, const CommandShape &Builder,
                 std::string WorkingDirectory, LookupRecord &Record)
      : SM(SM), Builder(Builder), WorkingDirectory(std::move(WorkingDirectory)),
        Record(Record) {}

  void
  InclusionDirective(clang::SourceLocation HashLoc,
                     const clang::Token &IncludeTok, llvm::StringRef FileName,
                     bool IsAngled, clang::CharSourceRange FilenameRange,
                     clang::OptionalFileEntryRef File,
                     llvm::StringRef SearchPath, llvm::StringRef RelativePath,
                     const clang::Module *SuggestedModule, bool ModuleImported,
                     clang::SrcMgr::CharacteristicKind FileType) override;
  void HasInclude(clang::SourceLocation Loc, llvm::StringRef FileName,
                  bool IsAngled, clang::OptionalFileEntryRef File,
                  clang::SrcMgr::CharacteristicKind FileType) override;

private:
  /// The absolute path of the file that \p Loc is in, or "".
  std::string includerOf(clang::SourceLocation Loc);
  /// Whether \p Path is one of the builder's user directories, or with
  /// \p OrBelow, anywhere under one (over-approximate, so conservative).
  bool isInUserDir(llvm::StringRef Path, bool OrBelow) const;
  void add(llvm::StringRef Name, bool Angled, std::string InUserDirs);

  clang::SourceManager &SM;
  const CommandShape &Builder;
  std::string WorkingDirectory;
  LookupRecord &Record;
  /// The lookups recorded, as '<' or '"' and the name.
  std::set<std::string> Seen;
};

/// True when \p Shape's user directories find for every lookup what the
/// builder's did.
bool lookupsAlike(const std::vector<HeaderLookup> &Lookups,
                  const CommandShape &Shape);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_HEADERLOOKUPS_H
