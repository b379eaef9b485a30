//===--- ProjectQuestions.cpp - What the checks read of the project ------===//

#include "TorchTidyRules/ProjectQuestions.h"

#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <mutex>

namespace clang::tidy::torch {

namespace {

struct QuestionLog {
  std::mutex Mutex;
  llvm::StringSet<> SummariesRead;
  llvm::StringSet<> CallersRead;
};

QuestionLog &questionLog() {
  static QuestionLog Log;
  return Log;
}

std::vector<std::string> takeSorted(llvm::StringSet<> &Usrs) {
  std::vector<std::string> Sorted;
  for (const auto &Entry : Usrs)
    Sorted.push_back(Entry.getKey().str());
  Usrs.clear();
  std::sort(Sorted.begin(), Sorted.end());
  return Sorted;
}

} // namespace

void noteSummaryRead(llvm::StringRef Usr) {
  QuestionLog &Log = questionLog();
  std::lock_guard<std::mutex> Lock(Log.Mutex);
  Log.SummariesRead.insert(Usr);
}

void noteCallersRead(llvm::StringRef Usr) {
  QuestionLog &Log = questionLog();
  std::lock_guard<std::mutex> Lock(Log.Mutex);
  Log.CallersRead.insert(Usr);
}

ProjectQuestions takeProjectQuestions() {
  QuestionLog &Log = questionLog();
  std::lock_guard<std::mutex> Lock(Log.Mutex);
  return {takeSorted(Log.SummariesRead), takeSorted(Log.CallersRead)};
}

} // namespace clang::tidy::torch
