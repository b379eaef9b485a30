//===--- CacheManifest.cpp - What a header-cache entry depends on ---------===//

#include "CacheManifest.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <chrono>

namespace fs = llvm::sys::fs;

namespace torch_tidy {

namespace {

constexpr llvm::StringLiteral Version = "torch-tidy header cache 2";

/// Size, modification time and content hash of a file, as manifest fields.
std::optional<std::string> fileState(const std::string &Path) {
  fs::file_status Status;
  if (fs::status(Path, Status) || !fs::is_regular_file(Status))
    return std::nullopt;
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return std::nullopt;
  int64_t ModifiedNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           Status.getLastModificationTime().time_since_epoch())
                           .count();
  uint64_t Hash =
      llvm::xxh3_64bits(llvm::arrayRefFromStringRef((*Buffer)->getBuffer()));
  return std::to_string(Status.getSize()) + " " + std::to_string(ModifiedNs) +
         " " + llvm::utohexstr(Hash);
}

} // namespace

// Lines: the version; "usable" or "unusable"; "shared" or "exact"; "user-dirs
// <digest>"; then "lookup\t<a|q>\t<name>\t<found or empty>" and
// "file <size> <mtime> <hash> <path>" lines.
std::optional<CacheManifest> readFreshManifest(const std::string &Path,
                                               const std::string &Pch) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return std::nullopt;
  llvm::SmallVector<llvm::StringRef> Lines;
  (*Buffer)->getBuffer().split(Lines, '\n', -1, /*KeepEmpty=*/false);
  if (Lines.size() < 4 || Lines[0] != Version ||
      !Lines[3].starts_with("user-dirs "))
    return std::nullopt;
  CacheManifest Manifest;
  Manifest.Usable = Lines[1] == "usable";
  Manifest.Shareable = Lines[2] == "shared";
  Manifest.UserDirs = Lines[3].drop_front(10).str();
  if (Manifest.Usable && !fs::exists(Pch))
    return std::nullopt;
  for (llvm::StringRef Line : llvm::ArrayRef(Lines).drop_front(4)) {
    if (Line.consume_front("lookup\t")) {
      llvm::SmallVector<llvm::StringRef, 3> Fields;
      Line.split(Fields, '\t', 2);
      if (Fields.size() != 3)
        return std::nullopt;
      Manifest.Lookups.push_back(
          {Fields[1].str(), Fields[0] == "a", Fields[2].str()});
      continue;
    }
    if (!Line.consume_front("file "))
      return std::nullopt;
    // size mtime hash path
    llvm::SmallVector<llvm::StringRef, 4> Fields;
    Line.split(Fields, ' ', 3);
    if (Fields.size() != 4)
      return std::nullopt;
    std::optional<std::string> Now = fileState(Fields[3].str());
    if (!Now || *Now != (Fields[0] + " " + Fields[1] + " " + Fields[2]).str())
      return std::nullopt;
  }
  return Manifest;
}

std::optional<std::string> fileLines(const std::vector<std::string> &Files) {
  std::string Lines;
  for (const std::string &File : Files) {
    std::optional<std::string> State = fileState(File);
    if (!State)
      return std::nullopt;
    Lines += "file " + *State + " " + File + "\n";
  }
  return Lines;
}

std::string manifestText(const CacheManifest &Manifest,
                         llvm::StringRef FileLines) {
  std::string Text;
  llvm::raw_string_ostream Out(Text);
  Out << Version << "\n"
      << (Manifest.Usable ? "usable" : "unusable") << "\n"
      << (Manifest.Shareable ? "shared" : "exact") << "\n"
      << "user-dirs " << Manifest.UserDirs << "\n";
  for (const HeaderLookup &Lookup : Manifest.Lookups)
    Out << "lookup\t" << (Lookup.Angled ? "a" : "q") << "\t" << Lookup.Name
        << "\t" << Lookup.InUserDirs << "\n";
  Out << FileLines;
  Out.flush();
  return Text;
}

} // namespace torch_tidy
