//===--- LibraryInstantiations.cpp - Skip library template bodies ---------===//

#include "LibraryInstantiations.h"

#include "TorchTidyRules/UserCode.h"

#include "clang/AST/DeclBase.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Sema/ExternalSemaSource.h"
#include "clang/Sema/Sema.h"
#include "clang/Sema/SemaConsumer.h"

#include <algorithm>

namespace torch_tidy {

namespace {

bool isLibraryDecl(const clang::SourceManager &SM, const clang::Decl *D) {
  clang::SourceLocation Loc = SM.getExpansionLoc(D->getLocation());
  if (Loc.isInvalid())
    return false;
  if (SM.isInSystemHeader(Loc))
    return true;
  clang::OptionalFileEntryRef Entry =
      SM.getFileEntryRefForID(SM.getFileID(Loc));
  return Entry && clang::tidy::torch::isLibtorchHeaderPath(Entry->getName());
}

/// Sema asks its external sources for more pending instantiations once, at
/// the end of the translation unit, right before it works through its
/// queue; answering, this source prunes the queue instead.
class LibraryInstantiationFilter : public clang::ExternalSemaSource {
public:
  LibraryInstantiationFilter(clang::Sema &S, const clang::SourceManager &SM)
      : S(S), SM(SM) {}

  void ReadPendingInstantiations(
      llvm::SmallVectorImpl<
          std::pair<clang::ValueDecl *, clang::SourceLocation>> &Pending)
      override {
    auto Library = [this](const auto &Entry) {
      return isLibraryDecl(SM, Entry.first);
    };
    // Those that a precompiled header brings arrive in Pending.
    Pending.erase(std::remove_if(Pending.begin(), Pending.end(), Library),
                  Pending.end());
    S.PendingInstantiations.erase(
        std::remove_if(S.PendingInstantiations.begin(),
                       S.PendingInstantiations.end(), Library),
        S.PendingInstantiations.end());
  }

  /// Called at each use of a vtable too, while Sema may be walking its own
  /// list: only the external uses are filtered here. The virtual members
  /// of library classes that the list holds come to the pending
  /// instantiations, and are dropped there.
  void ReadUsedVTables(
      llvm::SmallVectorImpl<clang::ExternalVTableUse> &VTables) override {
    VTables.erase(std::remove_if(VTables.begin(), VTables.end(),
                                 [this](const clang::ExternalVTableUse &Use) {
                                   return isLibraryDecl(SM, Use.Record);
                                 }),
                  VTables.end());
  }

private:
  clang::Sema &S;
  const clang::SourceManager &SM;
};

class LibraryInstantiationSkipper : public clang::SemaConsumer {
public:
  explicit LibraryInstantiationSkipper(const clang::SourceManager &SM)
      : SM(SM) {}

  void InitializeSema(clang::Sema &S) override {
    // Sema owns its external sources from here on.
    S.addExternalSource(new LibraryInstantiationFilter(S, SM));
  }

private:
  const clang::SourceManager &SM;
};

} // namespace

std::unique_ptr<clang::ASTConsumer>
skipLibraryInstantiations(const clang::SourceManager &SM) {
  return std::make_unique<LibraryInstantiationSkipper>(SM);
}

std::unique_ptr<clang::ASTConsumer>
withLibraryInstantiationsSkipped(const clang::SourceManager &SM,
                                 std::unique_ptr<clang::ASTConsumer> Consumer) {
  std::vector<std::unique_ptr<clang::ASTConsumer>> Consumers;
  Consumers.push_back(skipLibraryInstantiations(SM));
  Consumers.push_back(std::move(Consumer));
  return std::make_unique<clang::MultiplexConsumer>(std::move(Consumers));
}

} // namespace torch_tidy
