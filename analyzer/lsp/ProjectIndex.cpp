//===--- ProjectIndex.cpp - The project's summaries, for the editor -------===//

#include "ProjectIndex.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

namespace torch_tidy::lsp {

ProjectIndex::ProjectIndex(
    std::string Executable, std::vector<std::string> Arguments,
    std::function<void(const std::string &Directory)> Changed)
    : Executable(std::move(Executable)), Arguments(std::move(Arguments)),
      Changed(std::move(Changed)) {}

ProjectIndex::~ProjectIndex() {
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    Stopping = true;
  }
  for (std::thread &T : Threads)
    T.join();
  for (const auto &[Directory, P] : Projects)
    llvm::sys::fs::remove(P.File);
}

std::string ProjectIndex::summariesFor(const std::string &Directory) {
  std::lock_guard<std::mutex> Lock(Mutex);
  auto [It, Inserted] = Projects.try_emplace(Directory);
  Project &P = It->second;
  if (Inserted) {
    llvm::SmallString<128> Path;
    llvm::sys::fs::createTemporaryFile("torch-tidy-lsp-project", "json", Path);
    P.File = std::string(Path);
    startLocked(Directory, P);
  }
  return P.Ready ? P.File : "";
}

void ProjectIndex::fileSaved() {
  std::lock_guard<std::mutex> Lock(Mutex);
  for (auto &[Directory, P] : Projects) {
    if (P.Running)
      P.Again = true;
    else
      startLocked(Directory, P);
  }
}

void ProjectIndex::startLocked(const std::string &Directory, Project &P) {
  if (Stopping)
    return;
  P.Running = true;
  Threads.emplace_back(&ProjectIndex::run, this, Directory);
}

void ProjectIndex::run(std::string Directory) {
  while (true) {
    std::string File;
    {
      std::lock_guard<std::mutex> Lock(Mutex);
      File = Projects[Directory].File;
    }
    // Written beside the file and renamed: a worker reading the summaries
    // never sees half of them.
    std::string Temporary = File + ".new";
    std::vector<std::string> Storage = {
        Executable, "summarize", "-p", Directory, "--output=" + Temporary,
        "--quiet"};
    Storage.insert(Storage.end(), Arguments.begin(), Arguments.end());
    std::vector<llvm::StringRef> Args(Storage.begin(), Storage.end());
    std::optional<llvm::StringRef> Redirects[] = {
        llvm::StringRef(""), llvm::StringRef(""), llvm::StringRef("")};
    std::string Problem;
    int Code = llvm::sys::ExecuteAndWait(Executable, Args, std::nullopt,
                                         Redirects, 0, 0, &Problem);
    std::string Contents;
    if (Code == 0)
      if (auto Buffer = llvm::MemoryBuffer::getFile(Temporary))
        Contents = (*Buffer)->getBuffer().str();
    bool Renamed = !Contents.empty() && !llvm::sys::fs::rename(Temporary, File);
    llvm::sys::fs::remove(Temporary);

    bool Notify = false, Again = false;
    {
      std::lock_guard<std::mutex> Lock(Mutex);
      Project &P = Projects[Directory];
      if (Renamed) {
        Notify = P.Contents != Contents;
        P.Contents = std::move(Contents);
        P.Ready = true;
      }
      Again = P.Again && !Stopping;
      P.Again = false;
      P.Running = Again;
    }
    if (Notify)
      Changed(Directory);
    if (!Again)
      return;
  }
}

} // namespace torch_tidy::lsp
