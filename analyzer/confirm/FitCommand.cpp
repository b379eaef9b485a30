//===--- FitCommand.cpp - `torch-tidy fit` --------------------------------===//

#include "FitCommand.h"
#include "AtomicFile.h"
#include "ConfirmOutput.h"
#include "ExitCodes.h"
#include "FitInputs.h"
#include "FitOutput.h"
#include "FitRunner.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <system_error>

namespace torch_tidy {

namespace {

const char Usage[] =
    "usage: torch-tidy fit --memory SIZE --batch-sizes A,B[,C...]\n"
    "                      [--iterations N] [--target-batch N]\n"
    "                      [--target=cuda|cpu] [--format=text|json]\n"
    "                      [--margin PERCENT] [--predict N]\n"
    "                      [--preload LIBRARY]\n"
    "                      [--timeout SECONDS] [--keep DIR]\n"
    "                      -- COMMAND [ARGUMENTS...]\n"
    "Runs COMMAND once per batch size ('{}' in its arguments and\n"
    "TORCH_TIDY_BATCH_SIZE in its environment) for N iterations with the\n"
    "torch-tidy probe, fits the peak memory of each phase against the batch\n"
    "size and prints the largest batch size that fits in SIZE (24GiB, 80G,\n"
    "16GB...). Exit: 0 answered, 1 nothing fits, 2 bad arguments or an\n"
    "output that cannot be written, 3 a run failed, 4 the runs give no\n"
    "answer.\n";

struct FitArgs {
  FitOptions Options;
  std::vector<int64_t> BatchSizes;
  int64_t Iterations = 6;
  std::string Format = "text";
  std::string Preload;
  int TimeoutSeconds = 0;
  std::string KeepDir;
  std::vector<std::string> Command;
};

int usageError(const std::string &Message) {
  std::cerr << "torch-tidy fit: error: " << Message << "\n" << Usage;
  return ExitUsageError;
}

bool parseArgs(int Argc, const char **Argv, FitArgs &Args, std::string &Error) {
  bool HaveMemory = false, HaveSizes = false;
  int I = 1;
  for (; I < Argc; ++I) {
    std::string Arg = Argv[I];
    if (Arg == "--") {
      ++I;
      break;
    }
    std::string Name = Arg, Value;
    bool Inline = false;
    if (auto Eq = Arg.find('=');
        Arg.rfind("--", 0) == 0 && Eq != std::string::npos) {
      Name = Arg.substr(0, Eq);
      Value = Arg.substr(Eq + 1);
      Inline = true;
    }
    auto Take = [&]() {
      if (Inline)
        return true;
      if (I + 1 >= Argc) {
        Error = Name + " needs a value";
        return false;
      }
      Value = Argv[++I];
      return true;
    };
    auto Integer = [&](int64_t Max, int64_t &Out) {
      if (!Take())
        return false;
      std::string Problem;
      auto Number = parsePositiveInteger(Value, Max, Problem);
      if (!Number) {
        Error = Name + ": " + Problem;
        return false;
      }
      Out = *Number;
      return true;
    };
    int64_t Number = 0;
    if (Name == "--memory") {
      if (!Take())
        return false;
      auto Bytes = parseMemorySize(Value, Error);
      if (!Bytes)
        return false;
      Args.Options.MemoryBytes = *Bytes;
      HaveMemory = true;
    } else if (Name == "--batch-sizes") {
      if (!Take())
        return false;
      auto Sizes = parseBatchSizes(Value, Error);
      if (!Sizes)
        return false;
      Args.BatchSizes = *Sizes;
      HaveSizes = true;
    } else if (Name == "--iterations") {
      if (!Integer(100000, Args.Iterations))
        return false;
    } else if (Name == "--target-batch") {
      if (!Integer(int64_t(1) << 40, Number))
        return false;
      Args.Options.TargetBatch = Number;
    } else if (Name == "--predict") {
      if (!Integer(int64_t(1) << 40, Number))
        return false;
      Args.Options.PredictAt = Number;
    } else if (Name == "--timeout") {
      if (!Integer(86400 * 7, Number))
        return false;
      Args.TimeoutSeconds = static_cast<int>(Number);
    } else if (Name == "--target") {
      if (!Take())
        return false;
      if (Value != "cuda" && Value != "cpu") {
        Error = "--target must be cuda or cpu, not '" + Value + "'";
        return false;
      }
      Args.Options.Target = Value == "cuda" ? FitTarget::Cuda : FitTarget::Cpu;
    } else if (Name == "--format") {
      if (!Take())
        return false;
      if (Value != "text" && Value != "json") {
        Error = "--format must be text or json, not '" + Value + "'";
        return false;
      }
      Args.Format = Value;
    } else if (Name == "--margin") {
      if (!Take())
        return false;
      auto Share = parsePercentage(Value, Error);
      if (!Share)
        return false;
      Args.Options.SafetyMargin = *Share;
    } else if (Name == "--preload") {
      if (!Take())
        return false;
      Args.Preload = Value;
    } else if (Name == "--keep") {
      if (!Take())
        return false;
      Args.KeepDir = Value;
    } else {
      Error = "unknown argument '" + Arg + "' (the command goes after '--')";
      return false;
    }
  }
  for (; I < Argc; ++I)
    Args.Command.push_back(Argv[I]);
  if (!HaveMemory)
    Error = "--memory is required (e.g. --memory 24GiB)";
  else if (!HaveSizes)
    Error = "--batch-sizes is required (e.g. --batch-sizes 8,16,32)";
  else if (Args.Command.empty())
    Error = "no command: put it after '--', with {} where the batch size goes";
  return Error.empty();
}

/// The directory for reports and logs: --keep's, or a fresh temporary one
/// removed at the end.
struct WorkDir {
  std::string Path;
  bool Remove = false;
  ~WorkDir() {
    std::error_code Ignored;
    if (Remove)
      std::filesystem::remove_all(Path, Ignored);
  }
};

bool makeWorkDir(const FitArgs &Args, WorkDir &Dir, std::string &Error) {
  std::error_code Code;
  if (!Args.KeepDir.empty()) {
    std::filesystem::create_directories(Args.KeepDir, Code);
    Dir.Path = Args.KeepDir;
    if (Code)
      Error = Args.KeepDir + ": cannot create the directory (" +
              Code.message() + ")";
    return !Code;
  }
  std::string Template =
      (std::filesystem::temp_directory_path(Code) / "torch-tidy-fit.XXXXXX")
          .string();
  if (Code || !mkdtemp(Template.data())) {
    Error = "cannot create a temporary directory";
    return false;
  }
  Dir.Path = Template;
  Dir.Remove = true;
  return true;
}

/// One line on stderr per run, as it ends.
void reportProgress(const FitRunResult &R, int64_t BatchSize,
                    int64_t Iterations) {
  std::cerr << "torch-tidy fit: batch size " << BatchSize << ": ";
  if (R.What == FitRunResult::Outcome::OutOfMemory) {
    std::cerr << "out of memory: " << R.Problem << "\n";
    return;
  }
  const BatchMeasurement &M = *R.Measurement;
  std::cerr << "peak " << formatBytes(M.peakBytes(M.CudaDevice.has_value()))
            << " over " << M.Iterations << " iterations";
  if (R.EndedEarly && M.Iterations < Iterations)
    std::cerr << " (the program ended before " << Iterations << ")";
  std::cerr << "\n";
}

} // namespace

int runFitCommand(int Argc, const char **Argv) {
  for (int I = 1; I < Argc && std::string(Argv[I]) != "--"; ++I)
    if (std::string(Argv[I]) == "--help" || std::string(Argv[I]) == "-h") {
      std::cout << Usage;
      return ExitSuccess;
    }
  FitArgs Args;
  std::string Error;
  if (!parseArgs(Argc, Argv, Args, Error))
    return usageError(Error);
  WorkDir Dir;
  if (!makeWorkDir(Args, Dir, Error)) {
    std::cerr << "torch-tidy fit: error: " << Error << "\n";
    return ExitUsageError;
  }

  std::vector<BatchMeasurement> Runs;
  for (int64_t BatchSize : Args.BatchSizes) {
    FitRunRequest Request{Args.Command, BatchSize,    Args.Iterations,
                          Dir.Path,     Args.Preload, Args.TimeoutSeconds};
    FitRunResult R = runAtBatchSize(Request);
    if (R.What == FitRunResult::Outcome::CannotWrite) {
      std::cerr << "torch-tidy fit: error: " << R.Problem << "\n";
      return ExitUsageError;
    }
    if (R.What == FitRunResult::Outcome::Failed) {
      std::cerr << "torch-tidy fit: error: batch size " << BatchSize
                << ": the command " << R.Problem << "\n";
      if (!R.StderrTail.empty())
        std::cerr << "its last lines of standard error:\n" << R.StderrTail;
      return ExitRunFailed;
    }
    reportProgress(R, BatchSize, Args.Iterations);
    Runs.push_back(*R.Measurement);
    if (R.What == FitRunResult::Outcome::OutOfMemory) {
      if (BatchSize != Args.BatchSizes.back())
        std::cerr << "torch-tidy fit: larger batch sizes are not run: they "
                     "would not fit either\n";
      break;
    }
  }

  std::vector<double> Peaks;
  for (const BatchMeasurement &M : Runs)
    if (!M.OutOfMemory)
      Peaks.push_back(M.peakBytes(false));
  if (Peaks.size() < 2) {
    std::cerr << "torch-tidy fit: error: only " << Peaks.size()
              << " run(s) completed before one ran out of memory; a fit needs "
                 "two: measure smaller batch sizes\n";
    return ExitNoAnswer;
  }
  if (allAboutEqual(Peaks)) {
    std::cerr << "torch-tidy fit: error: every batch size gave the same peak ("
              << formatBytes(Peaks.front())
              << "): the command does not use the batch size; put {} where "
                 "it goes in its arguments, or read TORCH_TIDY_BATCH_SIZE\n";
    return ExitNoAnswer;
  }
  FitAnswer Answer = planFit(Runs, Args.Options);
  std::string Text = Args.Format == "json" ? fitToJson(Answer).dump(2) + "\n"
                                           : fitToText(Answer);
  if (std::string Problem; !writeStandardOutput(Text, Problem)) {
    std::cerr << "torch-tidy fit: error: " << Problem << "\n";
    return ExitUsageError;
  }
  if (!Args.KeepDir.empty())
    std::cerr << "torch-tidy fit: reports and output logs kept in "
              << Args.KeepDir << "\n";
  return Answer.LargestBatchSize && *Answer.LargestBatchSize == 0
             ? ExitNothingFits
             : ExitSuccess;
}

} // namespace torch_tidy
