//===--- ProjectIndex.h - The project's summaries, for the editor -*- C++
//-*-===//
//
// The language server judges an open file with the summaries of its whole
// project, as `torch-tidy -p build` does. They are made in the background
// by `torch-tidy summarize` (a child process, so a slow file never blocks
// the editor) and made again whenever a file is saved: the summary cache
// re-reads only the files that changed, and an edit to metrics.cpp then
// updates the diagnostics shown in train.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_LSP_PROJECTINDEX_H
#define TORCH_TIDY_ANALYZER_LSP_PROJECTINDEX_H

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace torch_tidy::lsp {

class ProjectIndex {
public:
  /// \p Executable runs `summarize` with \p Arguments (the analysis
  /// options the server was started with); \p Changed is called, on the
  /// index's own thread, when a project's summaries were made anew and
  /// differ from before.
  ProjectIndex(std::string Executable, std::vector<std::string> Arguments,
               std::function<void(const std::string &Directory)> Changed);
  ~ProjectIndex();

  /// The summaries file of the project whose compile database is in
  /// \p Directory, or "" while there is none yet (making it starts now).
  std::string summariesFor(const std::string &Directory);

  /// A file was saved: every known project's summaries are made again.
  void fileSaved();

private:
  struct Project {
    std::string File;     // Where summarize writes.
    std::string Contents; // Of the last summaries made.
    bool Ready = false;
    bool Running = false;
    bool Again = false; // A save came while it ran.
  };
  void startLocked(const std::string &Directory, Project &P);
  void run(std::string Directory);

  std::string Executable;
  std::vector<std::string> Arguments;
  std::function<void(const std::string &)> Changed;
  std::mutex Mutex;
  std::map<std::string, Project> Projects;
  std::vector<std::thread> Threads;
  bool Stopping = false;
};

} // namespace torch_tidy::lsp

#endif // TORCH_TIDY_ANALYZER_LSP_PROJECTINDEX_H
