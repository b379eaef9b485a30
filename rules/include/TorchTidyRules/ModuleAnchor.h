//===--- ModuleAnchor.h - Keeps the module in a static link -----*- C++ -*-===//
//
// Part of the rules' public interface. A program that links the checks as a
// static library reads this variable once, so that the linker keeps the
// module's registration with clang-tidy's registry.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_MODULEANCHOR_H
#define TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_MODULEANCHOR_H

namespace clang::tidy {

extern volatile int TorchTidyModuleAnchorSource;

} // namespace clang::tidy

#endif // TORCH_TIDY_RULES_INCLUDE_TORCHTIDYRULES_MODULEANCHOR_H
