//===--- EvalCode.h - What marks code as evaluation or training -*- C++ -*-===//
//
// Facts that tell evaluation and inference code apart from code that needs
// autograd: module mode switches (`eval()`, `train(bool)`), optimizer steps,
// explicit requests for gradients, function names split into words, and
// unit-test bodies.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_EVALCODE_H
#define TORCH_TIDY_RULES_MODEL_EVALCODE_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace clang::tidy::torch {

enum class ModeSwitch { None, ToEval, ToTrain };

/// Classifies calls of `Module::eval()` and `Module::train(bool)` on
/// `torch::nn` and TorchScript modules. `train(false)` is ToEval; `train()`,
/// `train(true)` and `train(flag)` with a non-literal flag are ToTrain.
ModeSwitch classifyModeSwitch(const Stmt *S);

/// True for `optimizer.step(...)`: a `step` method of a class that is, or
/// derives from, a class with "optim" in its own or its namespace's name
/// (`torch::optim::Adam`, a user's `MyOptimizer`, LR schedulers).
bool isStepCall(const Stmt *S);

/// True when \p S asks for gradients explicitly: `requires_grad_()`,
/// `set_requires_grad(true)`, the `requires_grad` tensor option,
/// `Tensor::grad()`, or a guard or `GradMode::set_enabled(true)` that turns
/// autograd on.
bool requestsGrad(const Stmt *S);

/// The words of an identifier, lower-cased: `validate_epoch` -> validate,
/// epoch; `runInference` -> run, inference; `HTTPServer` -> http, server.
llvm::SmallVector<std::string, 4> identifierWords(llvm::StringRef Name);

/// True for the bodies of unit tests: GoogleTest's `TestBody` and functions
/// written by Catch2, doctest or GoogleTest test macros.
bool isUnitTestBody(const FunctionDecl &Function, const SourceManager &SM,
                    const LangOptions &LangOpts);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_EVALCODE_H
