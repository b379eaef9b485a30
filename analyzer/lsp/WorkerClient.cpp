//===--- WorkerClient.cpp - Start and watch an analysis worker ------------===//

#include "WorkerClient.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <sys/types.h>

#include <chrono>
#include <thread>

namespace torch_tidy::lsp {

namespace {

/// Temporary files of one run, removed with it.
class RunFiles {
public:
  RunFiles() {
    for (auto [Path, Suffix] :
         {std::pair{&Request, "json"}, {&Output, "out"}, {&Errors, "err"}}) {
      llvm::SmallString<128> Made;
      llvm::sys::fs::createTemporaryFile("torch-tidy-lsp", Suffix, Made);
      *Path = std::string(Made);
    }
  }
  ~RunFiles() {
    for (const std::string *Path : {&Request, &Output, &Errors})
      llvm::sys::fs::remove(*Path);
  }
  std::string Request, Output, Errors;
};

std::string readWhole(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false,
                                            /*IsVolatile=*/true);
  return Buffer ? (*Buffer)->getBuffer().str() : std::string();
}

/// The last non-empty line of a worker's stderr: what a crashing clang was
/// doing, or the worker's own error.
std::string lastLine(llvm::StringRef Text) {
  Text = Text.trim();
  size_t Break = Text.rfind('\n');
  return (Break == llvm::StringRef::npos ? Text : Text.drop_front(Break + 1))
      .trim()
      .str();
}

} // namespace

WorkerOutcome runWorker(const std::string &Executable,
                        const std::vector<std::string> &Arguments,
                        const nlohmann::json &Request,
                        const std::atomic<bool> &Cancel,
                        unsigned TimeoutSeconds,
                        const std::function<void(llvm::StringRef)> &OnEvent,
                        const std::function<void()> &OnTick) {
  WorkerOutcome Outcome;
  RunFiles Files;
  {
    std::error_code Error;
    llvm::raw_fd_ostream Out(Files.Request, Error, llvm::sys::fs::OF_None);
    if (Error) {
      Outcome.Failure = "cannot write the worker's request: " + Error.message();
      return Outcome;
    }
    Out << Request.dump(-1, ' ', false,
                        nlohmann::json::error_handler_t::replace);
  }
  std::vector<llvm::StringRef> Args{Executable};
  for (const std::string &Argument : Arguments)
    Args.push_back(Argument);
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(Files.Request),
                                                llvm::StringRef(Files.Output),
                                                llvm::StringRef(Files.Errors)};
  std::string Problem;
  bool ExecutionFailed = false;
  llvm::sys::ProcessInfo Process = llvm::sys::ExecuteNoWait(
      Executable, Args, std::nullopt, Redirects, 0, &Problem, &ExecutionFailed);
  if (ExecutionFailed) {
    Outcome.Failure =
        "cannot start the analysis worker " + Executable + ": " + Problem;
    return Outcome;
  }

  auto Start = std::chrono::steady_clock::now();
  size_t Seen = 0; // Bytes of the output already handed on.
  std::string Answer;
  auto ReadLines = [&] {
    std::string Output = readWhole(Files.Output);
    size_t Break;
    while ((Break = Output.find('\n', Seen)) != std::string::npos) {
      llvm::StringRef Line = llvm::StringRef(Output).slice(Seen, Break).trim();
      Seen = Break + 1;
      if (Line.starts_with("{\"event\""))
        OnEvent(Line);
      else if (!Line.empty())
        Answer = Line.str();
    }
  };
  llvm::sys::ProcessInfo Done;
  bool TimedOut = false;
  bool Cancelled = false;
  while (true) {
    // llvm::sys::Wait's own timeout uses alarm(): poll instead.
    Done = llvm::sys::Wait(Process, /*SecondsToWait=*/0, &Problem);
    if (Done.Pid != 0)
      break;
    ReadLines();
    OnTick();
    double Seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
            .count();
    TimedOut = TimeoutSeconds && Seconds >= TimeoutSeconds;
    Cancelled = Cancel.load();
    if (TimedOut || Cancelled) {
      ::kill(Process.Pid, SIGKILL);
      Done = llvm::sys::Wait(Process, std::nullopt, &Problem);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ReadLines();
  if (Cancelled) {
    Outcome.Result = WorkerOutcome::Cancelled;
    return Outcome;
  }
  if (TimedOut) {
    Outcome.Failure = "the analysis was stopped after " +
                      std::to_string(TimeoutSeconds) + " s";
    return Outcome;
  }
  std::string Stderr = lastLine(readWhole(Files.Errors));
  if (Done.ReturnCode != 0) {
    Outcome.Failure =
        "the analysis failed (" +
        (Problem.empty() ? "exit code " + std::to_string(Done.ReturnCode)
                         : Problem) +
        ")" + (Stderr.empty() ? "" : ": " + Stderr);
    return Outcome;
  }
  nlohmann::json Parsed =
      nlohmann::json::parse(Answer, nullptr, /*allow_exceptions=*/false);
  if (!Parsed.is_object() || !Parsed.contains("diagnostics") ||
      !Parsed["diagnostics"].is_array()) {
    Outcome.Failure = "the analysis worker gave no answer" +
                      (Stderr.empty() ? std::string() : ": " + Stderr);
    return Outcome;
  }
  Outcome.Result = WorkerOutcome::Answered;
  Outcome.Diagnostics = std::move(Parsed["diagnostics"]);
  return Outcome;
}

} // namespace torch_tidy::lsp
