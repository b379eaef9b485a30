//===--- Server.cpp - torch-tidy's language server ------------------------===//

#include "Server.h"
#include "Uri.h"
#include "WorkerClient.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>

namespace torch_tidy::lsp {

namespace {

enum Severity { SeverityError = 1, SeverityWarning = 2 };
enum TextDocumentSyncKind { SyncIncremental = 2 };

const nlohmann::json &member(const nlohmann::json &Object, const char *Key) {
  static const nlohmann::json Null;
  if (!Object.is_object())
    return Null;
  auto It = Object.find(Key);
  return It == Object.end() ? Null : *It;
}

} // namespace

namespace {

/// The analysis options among a worker's arguments (`lsp --worker` first).
std::vector<std::string>
analysisOptions(const std::vector<std::string> &WorkerArguments) {
  std::vector<std::string> Options;
  for (const std::string &Arg : WorkerArguments)
    if (llvm::StringRef(Arg).starts_with("-") && Arg != "--worker")
      Options.push_back(Arg);
  return Options;
}

} // namespace

Server::Server(ServerOptions Options, MessageWriter &Out)
    : Options(std::move(Options)), Out(Out),
      Finder(this->Options.CompileCommandsDir),
      Projects(this->Options.SummarizeExecutable,
               analysisOptions(this->Options.WorkerArguments),
               [this](const std::string &) { reanalyseOpenDocuments(); }) {
  Scheduler = std::thread([this] { analysisLoop(); });
}

Server::~Server() {
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    Stopping = true;
    CancelRunning = true;
  }
  Wake.notify_all();
  Scheduler.join();
}

void Server::log(const std::string &Message) {
  llvm::errs() << "torch-tidy lsp: " << Message << "\n";
  llvm::errs().flush();
}

bool Server::handle(const MessageReader::Result &Read) {
  if (Read.Kind == MessageReader::Status::BadMessage) {
    log(Read.Problem);
    Out.send(makeError(nullptr, ParseError, Read.Problem));
    return true;
  }
  if (Read.Kind != MessageReader::Status::Message)
    return false;
  Incoming In = classifyMessage(Read.Body);
  switch (In.Type) {
  case Incoming::Invalid:
    log("invalid message: " + In.Problem);
    Out.send(makeError(In.Id, InvalidRequest, In.Problem));
    return true;
  case Incoming::Response:
    return true; // Answers to our window/workDoneProgress/create.
  case Incoming::Request:
    onRequest(In);
    return true;
  case Incoming::Notification:
    if (In.Method == "exit")
      return false;
    // Notifications get no answer: a malformed one is logged and dropped.
    try {
      onNotification(In);
    } catch (const nlohmann::json::exception &Error) {
      log(In.Method + ": malformed parameters: " + Error.what());
    } catch (const std::invalid_argument &Error) {
      log(In.Method + ": " + Error.what());
    }
    return true;
  }
  return true;
}

void Server::onRequest(const Incoming &In) {
  if (In.Method == "initialize") {
    if (Initialized) {
      Out.send(makeError(In.Id, InvalidRequest, "initialize was sent twice"));
      return;
    }
    try {
      nlohmann::json Result = initialize(In.Params);
      Initialized = true;
      Out.send(makeResponse(In.Id, std::move(Result)));
    } catch (const nlohmann::json::exception &Error) {
      Out.send(makeError(In.Id, InvalidParams,
                         std::string("initialize: ") + Error.what()));
    }
    return;
  }
  if (!Initialized) {
    Out.send(makeError(In.Id, ServerNotInitialized,
                       In.Method + " before initialize"));
    return;
  }
  if (ShutDown) {
    Out.send(makeError(In.Id, InvalidRequest, In.Method + " after shutdown"));
    return;
  }
  if (In.Method == "shutdown") {
    ShutDown = true;
    Out.send(makeResponse(In.Id, nullptr));
    return;
  }
  try {
    if (In.Method == "textDocument/codeAction") {
      Out.send(makeResponse(In.Id, codeActions(In.Params)));
      return;
    }
  } catch (const nlohmann::json::exception &Error) {
    Out.send(makeError(In.Id, InvalidParams,
                       In.Method + ": malformed parameters: " + Error.what()));
    return;
  } catch (const std::invalid_argument &Error) {
    Out.send(makeError(In.Id, InvalidParams, Error.what()));
    return;
  }
  Out.send(makeError(In.Id, MethodNotFound, "unknown method " + In.Method));
}

void Server::onNotification(const Incoming &In) {
  if (!Initialized || ShutDown)
    return; // Notifications other than exit are dropped then.
  if (In.Method == "textDocument/didOpen")
    didOpen(In.Params);
  else if (In.Method == "textDocument/didChange")
    didChange(In.Params);
  else if (In.Method == "textDocument/didSave")
    didSave(In.Params);
  else if (In.Method == "textDocument/didClose")
    didClose(In.Params);
  else if (In.Method == "workspace/didChangeConfiguration")
    applySettings(member(In.Params, "settings"));
  // $/cancelRequest: requests are answered as they arrive, so there is
  // never one left to cancel. initialized, $/... and unknown notifications
  // need nothing.
}

nlohmann::json Server::initialize(const nlohmann::json &Params) {
  const nlohmann::json &Capabilities = member(Params, "capabilities");
  ClientProgress =
      member(member(Capabilities, "window"), "workDoneProgress") == true;
  ClientDocumentChanges =
      member(member(member(Capabilities, "workspace"), "workspaceEdit"),
             "documentChanges") == true;
  applySettings(member(Params, "initializationOptions"));
  return {{"capabilities",
           {{"textDocumentSync",
             {{"openClose", true},
              {"change", SyncIncremental},
              {"save", {{"includeText", false}}}}},
            {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}}}},
          {"serverInfo",
           {{"name", "torch-tidy"}, {"version", TORCH_TIDY_VERSION}}}};
}

void Server::applySettings(const nlohmann::json &Settings) {
  if (!Settings.is_object())
    return;
  // Clients send either our section or all of their settings.
  const nlohmann::json &Ours =
      Settings.contains("torch-tidy") ? Settings["torch-tidy"] : Settings;
  if (!Ours.is_object())
    return;
  std::lock_guard<std::mutex> Lock(Mutex);
  bool Changed = false;
  const nlohmann::json &NewChecks = member(Ours, "checks");
  if (NewChecks.is_string() && NewChecks.get<std::string>() != Checks) {
    Checks = NewChecks.get<std::string>();
    Changed = true;
  } else if (!NewChecks.is_null() && !NewChecks.is_string()) {
    log("settings: 'checks' must be a string");
  }
  const nlohmann::json &Debounce = member(Ours, "debounceMs");
  if (Debounce.is_number_unsigned())
    Options.DebounceMs = static_cast<unsigned>(
        std::min<uint64_t>(Debounce.get<uint64_t>(), 60000));
  else if (!Debounce.is_null())
    log("settings: 'debounceMs' must be a non-negative integer");
  const nlohmann::json &Docs = member(Ours, "ruleDocsUrl");
  if (Docs.is_string() && Docs.get<std::string>() != Options.RuleDocsBase) {
    Options.RuleDocsBase = Docs.get<std::string>();
    Changed = true;
  }
  if (!Changed)
    return;
  for (auto &[Path, Doc] : Documents)
    scheduleLocked(Path, 0);
  if (!RunningPath.empty())
    CancelRunning = true;
}

std::string Server::documentPath(const nlohmann::json &Params) {
  const nlohmann::json &Uri = member(member(Params, "textDocument"), "uri");
  if (!Uri.is_string())
    throw std::invalid_argument("textDocument.uri must be a string");
  std::optional<std::string> Path = pathFromUri(Uri.get<std::string>());
  return Path ? *Path : "";
}

void Server::didOpen(const nlohmann::json &Params) {
  const nlohmann::json &Item = member(Params, "textDocument");
  std::string Path = documentPath(Params);
  if (Path.empty()) {
    log("not a file: URI, not analysed: " + member(Item, "uri").dump());
    return;
  }
  Document Doc;
  Doc.Uri = Item.at("uri").get<std::string>();
  Doc.Text = Item.at("text").get<std::string>();
  Doc.Version = Item.value("version", int64_t(0));
  std::lock_guard<std::mutex> Lock(Mutex);
  Documents[Path] = std::move(Doc);
  scheduleLocked(Path, 0);
}

void Server::didChange(const nlohmann::json &Params) {
  std::string Path = documentPath(Params);
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Documents.find(Path);
  if (It == Documents.end()) {
    log("didChange for a document that is not open");
    return;
  }
  Document &Doc = It->second;
  for (const nlohmann::json &Change : Params.at("contentChanges")) {
    std::string Problem;
    if (!applyContentChange(Doc.Text, Change, Problem)) {
      log("didChange: " + Problem);
      break;
    }
  }
  Doc.Version =
      member(Params, "textDocument").value("version", Doc.Version + 1);
  scheduleLocked(Path, Options.DebounceMs);
}

void Server::reanalyseOpenDocuments() {
  std::lock_guard<std::mutex> Lock(Mutex);
  for (const auto &[Path, Doc] : Documents)
    scheduleLocked(Path, 0);
}

void Server::didSave(const nlohmann::json &Params) {
  std::string Path = documentPath(Params);
  // What the saved file's functions do may change the findings of the
  // other open files of its project.
  Projects.fileSaved();
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Documents.find(Path);
  if (It == Documents.end())
    return;
  // A save ends the wait for more typing; an analysed version is not
  // analysed again.
  bool Current =
      It->second.Last && It->second.Last->Version == It->second.Version;
  if (Due.count(Path) || (!Current && RunningPath != Path))
    scheduleLocked(Path, 0);
}

void Server::didClose(const nlohmann::json &Params) {
  std::string Path = documentPath(Params);
  std::string Uri;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Documents.find(Path);
    if (It == Documents.end())
      return;
    Uri = It->second.Uri;
    Documents.erase(It);
    Due.erase(Path);
    cancelRunningLocked(Path);
  }
  publish(Uri, -1, {});
}

void Server::scheduleLocked(const std::string &Path, unsigned DelayMs) {
  Due[Path] = Clock::now() + std::chrono::milliseconds(DelayMs);
  cancelRunningLocked(Path);
  Wake.notify_all();
}

void Server::cancelRunningLocked(const std::string &Path) {
  if (RunningPath == Path)
    CancelRunning = true;
}

void Server::analysisLoop() {
  std::unique_lock<std::mutex> Lock(Mutex);
  while (true) {
    if (Stopping)
      return;
    if (Due.empty()) {
      Wake.wait(Lock);
      continue;
    }
    auto Next = Due.begin();
    for (auto It = Due.begin(); It != Due.end(); ++It)
      if (It->second < Next->second)
        Next = It;
    if (Next->second > Clock::now()) {
      Wake.wait_until(Lock, Next->second);
      continue;
    }
    std::string Path = Next->first;
    Due.erase(Next);
    auto Doc = Documents.find(Path);
    if (Doc == Documents.end())
      continue;
    std::string Text = Doc->second.Text;
    std::string Uri = Doc->second.Uri;
    int64_t Version = Doc->second.Version;
    RunningPath = Path;
    CancelRunning = false;
    Lock.unlock();

    bool Cancelled = false;
    std::vector<StoredDiagnostic> Diagnostics = analyse(Path, Text, Cancelled);

    Lock.lock();
    RunningPath.clear();
    Doc = Documents.find(Path);
    if (Cancelled || Doc == Documents.end() || Doc->second.Version != Version)
      continue; // A newer run is due, or the document is gone.
    auto Result = std::make_shared<Published>();
    Result->Version = Version;
    Result->Text = std::move(Text);
    Result->Diagnostics = std::move(Diagnostics);
    Doc->second.Last = Result;
    publish(Uri, Version, Result->Diagnostics);
  }
}

std::vector<StoredDiagnostic> Server::analyse(const std::string &Path,
                                              const std::string &Text,
                                              bool &Cancelled) {
  std::string Why;
  std::string ProjectDirectory;
  std::optional<clang::tooling::CompileCommand> Command =
      Finder.find(Path, Why, &ProjectDirectory);
  if (!Command)
    return {serverDiagnostic(Why, SeverityWarning)};

  std::vector<std::string> Arguments = Options.WorkerArguments;
  // The whole project's view once its summaries are made (the open files
  // are analysed again then).
  if (!ProjectDirectory.empty())
    if (std::string Summaries = Projects.summariesFor(ProjectDirectory);
        !Summaries.empty())
      Arguments.push_back("--project-summaries=" + Summaries);
  std::string RuleDocsBase;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    if (!Checks.empty()) {
      // The client's checks replace the command line's (an option given
      // twice is an error).
      Arguments.erase(std::remove_if(Arguments.begin(), Arguments.end(),
                                     [](llvm::StringRef Arg) {
                                       return Arg.starts_with("--checks=") ||
                                              Arg.starts_with("-checks=");
                                     }),
                      Arguments.end());
      Arguments.push_back("--checks=" + Checks);
    }
    RuleDocsBase = Options.RuleDocsBase;
  }
  nlohmann::json Request = {{"file", Path},
                            {"text", Text},
                            {"directory", Command->Directory},
                            {"arguments", Command->CommandLine}};

  // Progress while the header cache builds a PCH (the first analysis of a
  // project), shown only when that takes a while.
  std::optional<Clock::time_point> LookupSince;
  std::string ProgressToken;
  auto EndProgress = [&] {
    if (ProgressToken.empty())
      return;
    Out.send(makeNotification(
        "$/progress",
        {{"token", ProgressToken},
         {"value", {{"kind", "end"}, {"message", "header cache ready"}}}}));
    ProgressToken.clear();
  };
  auto OnEvent = [&](llvm::StringRef Line) {
    if (Line.contains("cache-lookup-start")) {
      LookupSince = Clock::now();
    } else if (Line.contains("cache-lookup-end")) {
      LookupSince.reset();
      EndProgress();
    }
  };
  auto OnTick = [&] {
    if (!ClientProgress || !LookupSince || !ProgressToken.empty() ||
        Clock::now() - *LookupSince <
            std::chrono::milliseconds(Options.ProgressAfterMs))
      return;
    ProgressToken =
        "torch-tidy-header-cache-" + std::to_string(++ProgressTokens);
    Out.send({{"jsonrpc", "2.0"},
              {"id", ProgressToken},
              {"method", "window/workDoneProgress/create"},
              {"params", {{"token", ProgressToken}}}});
    Out.send(makeNotification(
        "$/progress", {{"token", ProgressToken},
                       {"value",
                        {{"kind", "begin"},
                         {"title", "torch-tidy"},
                         {"message", "precompiling the headers of " + Path +
                                         " (first analysis only)"},
                         {"cancellable", false}}}}));
  };
  WorkerOutcome Outcome =
      runWorker(Options.WorkerExecutable, Arguments, Request, CancelRunning,
                Options.TimeoutSeconds, OnEvent, OnTick);
  EndProgress();
  switch (Outcome.Result) {
  case WorkerOutcome::Cancelled:
    Cancelled = true;
    return {};
  case WorkerOutcome::Failed:
    log(Path + ": " + Outcome.Failure);
    return {serverDiagnostic("torch-tidy could not analyse this file: " +
                                 Outcome.Failure,
                             SeverityError)};
  case WorkerOutcome::Answered:
    break;
  }
  return convertDiagnostics(Outcome.Diagnostics, Path, Text, RuleDocsBase);
}

void Server::publish(const std::string &Uri, int64_t Version,
                     const std::vector<StoredDiagnostic> &Diagnostics) {
  nlohmann::json List = nlohmann::json::array();
  for (const StoredDiagnostic &D : Diagnostics)
    List.push_back(D.Lsp);
  nlohmann::json Params = {{"uri", Uri}, {"diagnostics", std::move(List)}};
  if (Version >= 0)
    Params["version"] = Version;
  Out.send(
      makeNotification("textDocument/publishDiagnostics", std::move(Params)));
}

nlohmann::json Server::codeActions(const nlohmann::json &Params) {
  std::string Path = documentPath(Params);
  std::shared_ptr<const Published> Last;
  std::string Uri;
  int64_t Version = 0;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto It = Documents.find(Path);
    if (It == Documents.end())
      throw std::invalid_argument(
          "textDocument/codeAction: the document is not open");
    Last = It->second.Last;
    Uri = It->second.Uri;
    Version = It->second.Version;
  }
  nlohmann::json Actions = nlohmann::json::array();
  // Edits computed on an older text would land in the wrong place.
  if (!Last || Last->Version != Version)
    return Actions;
  const nlohmann::json &Only = member(member(Params, "context"), "only");
  if (Only.is_array() &&
      std::none_of(Only.begin(), Only.end(), [](const nlohmann::json &Kind) {
        return Kind == "quickfix" || Kind == "";
      }))
    return Actions;
  Position From, To;
  const nlohmann::json &Range = member(Params, "range");
  if (!readPosition(member(Range, "start"), From) ||
      !readPosition(member(Range, "end"), To))
    throw std::invalid_argument("textDocument/codeAction: malformed 'range'");

  FileTexts Texts(Path, Last->Text);
  auto WorkspaceEdit = [&](const std::vector<ByteEdit> &Edits) {
    std::map<std::string, nlohmann::json> ByFile;
    for (const ByteEdit &Edit : Edits) {
      nlohmann::json &List = ByFile[Edit.File];
      if (List.is_null())
        List = nlohmann::json::array();
      List.push_back(textEdit(Texts.textOf(Edit.File), Edit));
    }
    nlohmann::json Result;
    if (ClientDocumentChanges) {
      nlohmann::json Changes = nlohmann::json::array();
      for (auto &[File, List] : ByFile)
        Changes.push_back({{"textDocument",
                            {{"uri", File == Path ? Uri : uriFromPath(File)},
                             {"version", File == Path ? nlohmann::json(Version)
                                                      : nlohmann::json()}}},
                           {"edits", List}});
      Result["documentChanges"] = std::move(Changes);
    } else {
      for (auto &[File, List] : ByFile)
        Result["changes"][File == Path ? Uri : uriFromPath(File)] = List;
    }
    return Result;
  };
  for (const StoredDiagnostic &D : Last->Diagnostics) {
    if (D.Rule.empty())
      continue;
    unsigned Line = positionOf(Last->Text, D.Offset).Line;
    if (Line < From.Line || Line > To.Line)
      continue;
    for (const QuickFix &Fix : D.Fixes)
      Actions.push_back({{"title", Fix.Title},
                         {"kind", "quickfix"},
                         {"diagnostics", {D.Lsp}},
                         {"isPreferred", Fix.Preferred},
                         {"edit", WorkspaceEdit(Fix.Edits)}});
    Actions.push_back(
        {{"title", "Disable " + D.Rule + " on this line (NOLINT)"},
         {"kind", "quickfix"},
         {"diagnostics", {D.Lsp}},
         {"edit",
          WorkspaceEdit({nolintEdit(Path, Last->Text, D.Offset, D.Rule)})}});
  }
  return Actions;
}

} // namespace torch_tidy::lsp
