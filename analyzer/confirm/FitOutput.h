//===--- FitOutput.h - Printing `torch-tidy fit`'s answer -------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_FITOUTPUT_H
#define TORCH_TIDY_ANALYZER_CONFIRM_FITOUTPUT_H

#include "FitPlan.h"

#include <nlohmann/json.hpp>

#include <string>

namespace torch_tidy {

/// The measured table, the fit, the limiting phase, the device overhead,
/// the answer, gradient accumulation and the mixed-precision estimate.
std::string fitToText(const FitAnswer &Answer);

/// The same as the versioned JSON of docs/formats.md ("torch-tidy-fit").
nlohmann::json fitToJson(const FitAnswer &Answer);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_FITOUTPUT_H
