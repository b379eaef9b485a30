//===--- InputError.h - Bad input, reported in one line ---------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_REPORTS_INPUTERROR_H
#define TORCH_TIDY_ANALYZER_REPORTS_INPUTERROR_H

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace torch_tidy {

/// A problem with a file the user gave us. what() is one line that names
/// the file and the problem.
class InputError : public std::runtime_error {
public:
  InputError(const std::string &File, const std::string &Problem)
      : std::runtime_error(File + ": " + Problem) {}
};

/// Reads and parses a JSON file, throwing InputError when it is missing,
/// empty or not valid JSON.
nlohmann::json readJsonFile(const std::string &Path);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_REPORTS_INPUTERROR_H
