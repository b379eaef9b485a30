//===--- Symbolizer.h - Naming the probe's return addresses -----*- C++ -*-===//
//
// `confirm` resolves each origin's frames once: module path plus offset to
// function, file and line, inlined frames included. `torch-tidy` links
// LLVM's Symbolize library (analyzer/LlvmSymbolizer.cpp); the
// `torch-tidy-confirm` build without LLVM runs `llvm-symbolizer` or
// `addr2line` when one is on PATH, and otherwise names nothing.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_SYMBOLIZER_H
#define TORCH_TIDY_ANALYZER_CONFIRM_SYMBOLIZER_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace torch_tidy {

struct SymbolizedFrame {
  std::string Function; // Demangled; empty when unknown.
  std::string File;     // Empty when the module has no line table.
  int Line = 0;
};

class Symbolizer {
public:
  virtual ~Symbolizer() = default;
  /// The frames at \p Address of the module at \p ModulePath, innermost
  /// inlined frame first; empty when nothing is known.
  virtual std::vector<SymbolizedFrame>
  symbolize(const std::string &ModulePath, uint64_t Address) = 0;
  /// What does the work, for the output: "LLVM Symbolize", a tool's path.
  virtual std::string name() const = 0;
};

using SymbolizerFactory = std::unique_ptr<Symbolizer> (*)();

/// `llvm-symbolizer` (plain or versioned) or else `addr2line` from PATH;
/// null when neither is there.
std::unique_ptr<Symbolizer> makeExternalSymbolizer();

/// Parses llvm-symbolizer's output for one address (pairs of function and
/// "file:line:column" lines); exposed for tests.
std::vector<SymbolizedFrame> parseSymbolizerOutput(const std::string &Text);

/// The GNU build id of the ELF file at \p Path in hex; "" when it has none;
/// nullopt-like failure is reported through \p Error (file unreadable or
/// not ELF).
std::string readBuildId(const std::string &Path, std::string &Error);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_SYMBOLIZER_H
