//===--- LlvmSymbolizer.h - confirm's symbolizer in torch-tidy --*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_LLVMSYMBOLIZER_H
#define TORCH_TIDY_ANALYZER_LLVMSYMBOLIZER_H

#include "confirm/Symbolizer.h"

#include <memory>

namespace torch_tidy {

/// LLVM's Symbolize library, in process: no tool on PATH needed.
std::unique_ptr<Symbolizer> makeLlvmSymbolizer();

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_LLVMSYMBOLIZER_H
