//===--- UserCode.cpp - Which declarations are the user's -----------------===//

#include "TorchTidyRules/UserCode.h"

#include "llvm/Support/Path.h"

namespace clang::tidy::torch {

bool isLibtorchHeaderPath(llvm::StringRef Path) {
  // libtorch's headers live under include/{ATen,c10,caffe2,torch}; the C++
  // frontend adds torch/csrc/api/include. Path separators are normalised.
  std::string Normalised = llvm::sys::path::convert_to_slash(Path);
  llvm::StringRef P(Normalised);
  for (llvm::StringRef Marker :
       {"/ATen/", "/c10/", "/caffe2/", "/torch/csrc/", "/torch/include/"})
    if (P.contains(Marker))
      return true;
  return P.ends_with("/torch/torch.h") || P.ends_with("/torch/script.h") ||
         P.contains("/include/torch/");
}

bool UserCodeFilter::isUserLocation(const SourceManager &SM,
                                    SourceLocation Loc) {
  Loc = SM.getExpansionLoc(Loc);
  if (Loc.isInvalid())
    return false;
  FileID File = SM.getFileID(Loc);
  auto [It, Inserted] = Cache.try_emplace(File, false);
  if (!Inserted)
    return It->second;
  bool IsUser = false;
  if (File == SM.getMainFileID()) {
    IsUser = true;
  } else if (!SM.isInSystemHeader(Loc)) {
    if (OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File))
      IsUser = !isLibtorchHeaderPath(Entry->getName());
  }
  It->second = IsUser;
  return IsUser;
}

} // namespace clang::tidy::torch
