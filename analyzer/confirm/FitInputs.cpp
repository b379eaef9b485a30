//===--- FitInputs.cpp - Parsing `torch-tidy fit`'s values ----------------===//

#include "FitInputs.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace torch_tidy {

namespace {

std::string lowercase(std::string Text) {
  for (char &C : Text)
    C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
  return Text;
}

std::string trim(const std::string &Text) {
  size_t Begin = Text.find_first_not_of(" \t");
  if (Begin == std::string::npos)
    return "";
  size_t End = Text.find_last_not_of(" \t");
  return Text.substr(Begin, End - Begin + 1);
}

/// The multiplier of a unit suffix, or 0 for an unknown one.
double unitMultiplier(const std::string &Unit) {
  struct Known {
    const char *Name;
    double Bytes;
  };
  const Known Units[] = {{"", 1},
                         {"b", 1},
                         {"k", 1024.0},
                         {"kib", 1024.0},
                         {"kb", 1e3},
                         {"m", 1048576.0},
                         {"mib", 1048576.0},
                         {"mb", 1e6},
                         {"g", 1073741824.0},
                         {"gib", 1073741824.0},
                         {"gb", 1e9},
                         {"t", 1099511627776.0},
                         {"tib", 1099511627776.0},
                         {"tb", 1e12}};
  for (const Known &K : Units)
    if (Unit == K.Name)
      return K.Bytes;
  return 0;
}

} // namespace

std::optional<int64_t> parseMemorySize(const std::string &Text,
                                       std::string &Error) {
  std::string Value = trim(Text);
  Error = "--memory: '" + Text +
          "' is not a memory size (examples: 24GiB, 80G, 512MiB, 16GB)";
  if (Value.empty() ||
      !(std::isdigit(static_cast<unsigned char>(Value[0])) || Value[0] == '.'))
    return std::nullopt;
  char *End = nullptr;
  double Number = std::strtod(Value.c_str(), &End);
  double Multiplier = unitMultiplier(lowercase(trim(End)));
  if (Multiplier == 0 || !std::isfinite(Number))
    return std::nullopt;
  double Bytes = std::floor(Number * Multiplier);
  if (Bytes < 1) {
    Error = "--memory: '" + Text + "' is no memory at all";
    return std::nullopt;
  }
  if (Bytes > std::ldexp(1.0, 62)) {
    Error = "--memory: '" + Text + "' is more than any machine has";
    return std::nullopt;
  }
  Error.clear();
  return static_cast<int64_t>(Bytes);
}

std::optional<int64_t> parsePositiveInteger(const std::string &Text,
                                            int64_t Max, std::string &Error) {
  std::string Value = trim(Text);
  bool Digits = !Value.empty() && Value.size() <= 18 &&
                std::all_of(Value.begin(), Value.end(), [](char C) {
                  return std::isdigit(static_cast<unsigned char>(C));
                });
  int64_t Number = Digits ? std::strtoll(Value.c_str(), nullptr, 10) : 0;
  if (!Digits || Number < 1 || Number > Max) {
    Error =
        "'" + Text + "' is not a whole number from 1 to " + std::to_string(Max);
    return std::nullopt;
  }
  return Number;
}

std::optional<std::vector<int64_t>> parseBatchSizes(const std::string &Text,
                                                    std::string &Error) {
  std::vector<int64_t> Sizes;
  size_t Begin = 0;
  while (Begin <= Text.size()) {
    size_t Comma = Text.find(',', Begin);
    std::string Item = Text.substr(
        Begin, Comma == std::string::npos ? std::string::npos : Comma - Begin);
    std::string ItemError;
    auto Size = parsePositiveInteger(Item, int64_t(1) << 40, ItemError);
    if (!Size) {
      Error = "--batch-sizes: " + ItemError;
      return std::nullopt;
    }
    if (std::find(Sizes.begin(), Sizes.end(), *Size) != Sizes.end()) {
      Error = "--batch-sizes: " + std::to_string(*Size) + " is given twice";
      return std::nullopt;
    }
    Sizes.push_back(*Size);
    if (Comma == std::string::npos)
      break;
    Begin = Comma + 1;
  }
  if (Sizes.size() < 2) {
    Error = "--batch-sizes: a fit needs at least two batch sizes, e.g. "
            "--batch-sizes 8,16,32";
    return std::nullopt;
  }
  std::sort(Sizes.begin(), Sizes.end());
  return Sizes;
}

std::optional<double> parsePercentage(const std::string &Text,
                                      std::string &Error) {
  std::string Value = trim(Text);
  if (!Value.empty() && Value.back() == '%')
    Value.pop_back();
  char *End = nullptr;
  double Number = std::strtod(Value.c_str(), &End);
  if (Value.empty() || *End != '\0' || !(Number >= 0 && Number <= 90)) {
    Error = "--margin: '" + Text + "' is not a percentage from 0 to 90";
    return std::nullopt;
  }
  return Number / 100;
}

std::string substituteBatchSize(const std::string &Argument,
                                int64_t BatchSize) {
  std::string Out;
  std::string Size = std::to_string(BatchSize);
  for (size_t I = 0; I < Argument.size(); ++I) {
    if (Argument.compare(I, 2, "{}") == 0) {
      Out += Size;
      ++I;
    } else {
      Out += Argument[I];
    }
  }
  return Out;
}

} // namespace torch_tidy
