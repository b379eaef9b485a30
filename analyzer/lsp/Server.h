//===--- Server.h - torch-tidy's language server ----------------*- C++ -*-===//
//
// Keeps the editor's open documents, answers requests on the reading thread,
// and analyses documents on one scheduler thread: each edit (re)starts a
// debounce delay, a newer edit cancels the running analysis of the same
// file, and each analysis runs in a worker process (AnalysisWorker.h).
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_LSP_SERVER_H
#define TORCH_TIDY_ANALYZER_LSP_SERVER_H

#include "CompileCommandFinder.h"
#include "LspDiagnostics.h"
#include "ProjectIndex.h"
#include "Transport.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace torch_tidy::lsp {

struct ServerOptions {
  /// The program and arguments that start a worker, without the options
  /// that the client's settings add.
  std::string WorkerExecutable;
  std::vector<std::string> WorkerArguments;
  /// torch-tidy itself, which makes the project's summaries.
  std::string SummarizeExecutable;
  std::string CompileCommandsDir;
  /// Prefix of rule pages: href = prefix + rule + ".md".
  std::string RuleDocsBase;
  unsigned DebounceMs = 100;
  unsigned TimeoutSeconds = 300;
  /// The header cache's work (a PCH build) gets a progress report once it
  /// has taken this long.
  unsigned ProgressAfterMs = 1000;
};

class Server {
public:
  Server(ServerOptions Options, MessageWriter &Out);
  ~Server();

  /// Handles one message (or bad message); false once `exit` arrived.
  bool handle(const MessageReader::Result &Read);
  /// 0 when `shutdown` came before the end, 1 otherwise (as LSP asks).
  int exitCode() const { return ShutDown ? 0 : 1; }

private:
  using Clock = std::chrono::steady_clock;

  /// The diagnostics last published for a document, with the text they
  /// were computed on.
  struct Published {
    int64_t Version = 0;
    std::string Text;
    std::vector<StoredDiagnostic> Diagnostics;
  };
  struct Document {
    std::string Uri;
    std::string Text;
    int64_t Version = 0;
    std::shared_ptr<const Published> Last;
  };

  void onRequest(const Incoming &In);
  void onNotification(const Incoming &In);
  nlohmann::json initialize(const nlohmann::json &Params);
  nlohmann::json codeActions(const nlohmann::json &Params);
  void didOpen(const nlohmann::json &Params);
  void didChange(const nlohmann::json &Params);
  void didSave(const nlohmann::json &Params);
  void didClose(const nlohmann::json &Params);
  /// The project's summaries changed: every open document again.
  void reanalyseOpenDocuments();
  void applySettings(const nlohmann::json &Settings);
  /// The open document's path for a TextDocumentIdentifier; "" when the
  /// URI is not a file: URI.
  static std::string documentPath(const nlohmann::json &Params);

  /// Runs the analysis of \p Path after \p DelayMs; Mutex held.
  void scheduleLocked(const std::string &Path, unsigned DelayMs);
  void cancelRunningLocked(const std::string &Path);
  void analysisLoop();
  std::vector<StoredDiagnostic>
  analyse(const std::string &Path, const std::string &Text, bool &Cancelled);
  void publish(const std::string &Uri, int64_t Version,
               const std::vector<StoredDiagnostic> &Diagnostics);
  void log(const std::string &Message);

  ServerOptions Options;
  MessageWriter &Out;
  bool Initialized = false;
  bool ShutDown = false;
  bool ClientProgress = false;
  bool ClientDocumentChanges = false;

  std::mutex Mutex;
  std::condition_variable Wake;
  std::map<std::string, Document> Documents; // By path.
  std::map<std::string, Clock::time_point> Due;
  std::string RunningPath;
  std::atomic<bool> CancelRunning{false};
  std::string Checks; // From the client's settings; "" for none.
  bool Stopping = false;
  int ProgressTokens = 0;

  CompileCommandFinder Finder; // Scheduler thread only.
  // Declared after the state its callback schedules into, so that it stops
  // first.
  ProjectIndex Projects;
  std::thread Scheduler;
};

} // namespace torch_tidy::lsp

#endif // TORCH_TIDY_ANALYZER_LSP_SERVER_H
