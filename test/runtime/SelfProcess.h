//===--- SelfProcess.h - This test binary, run as a child -------*- C++ -*-===//
//
// The probe's end-to-end unit tests run one of their own tests again in a
// new process (where the probe's atexit report and signals are real) and
// read its output and exit code.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_TEST_RUNTIME_SELFPROCESS_H
#define TORCH_TIDY_TEST_RUNTIME_SELFPROCESS_H

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace torch_tidy::test {

struct ChildResult {
  int ExitCode = -1;
  std::string Output; // Standard output and standard error together.
};

/// Runs this test binary with only \p Filter's tests, with \p Environment
/// ("NAME=value ...", already quoted) set.
inline ChildResult runThisBinary(const std::string &Environment,
                                 const std::string &Filter) {
  char Self[4096];
  ssize_t Length = readlink("/proc/self/exe", Self, sizeof(Self) - 1);
  EXPECT_GT(Length, 0);
  Self[Length > 0 ? Length : 0] = '\0';
  std::string Command = Environment + " '" + Self +
                        "' --gtest_filter=" + Filter + " 2>&1";
  ChildResult Result;
  FILE *Pipe = popen(Command.c_str(), "r");
  EXPECT_NE(Pipe, nullptr);
  if (!Pipe)
    return Result;
  char Buffer[4096];
  size_t Read;
  while ((Read = std::fread(Buffer, 1, sizeof(Buffer), Pipe)) > 0)
    Result.Output.append(Buffer, Read);
  int Status = pclose(Pipe);
  Result.ExitCode = WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
  return Result;
}

} // namespace torch_tidy::test

#endif // TORCH_TIDY_TEST_RUNTIME_SELFPROCESS_H
