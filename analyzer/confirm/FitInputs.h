//===--- FitInputs.h - Parsing `torch-tidy fit`'s values --------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_FITINPUTS_H
#define TORCH_TIDY_ANALYZER_CONFIRM_FITINPUTS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace torch_tidy {

/// "24GiB", "24G", "1.5 TB", "512MiB", "1000000": bytes. K, M, G, T and
/// KiB... are powers of 1024; KB, MB, GB, TB are powers of 1000; a bare
/// number is bytes. Case-insensitive. Sets \p Error and returns nothing for
/// anything else, zero, or more than 2^62 bytes.
std::optional<int64_t> parseMemorySize(const std::string &Text,
                                       std::string &Error);

/// "8,16,32": at least two distinct positive batch sizes, returned in
/// ascending order.
std::optional<std::vector<int64_t>> parseBatchSizes(const std::string &Text,
                                                    std::string &Error);

/// A positive integer no larger than \p Max.
std::optional<int64_t> parsePositiveInteger(const std::string &Text,
                                            int64_t Max, std::string &Error);

/// "10%" or "10": a percentage from 0 to 90, returned as a fraction.
std::optional<double> parsePercentage(const std::string &Text,
                                      std::string &Error);

/// \p Argument with every "{}" replaced by \p BatchSize.
std::string substituteBatchSize(const std::string &Argument, int64_t BatchSize);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_FITINPUTS_H
