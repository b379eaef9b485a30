//===--- TorchApi.h - What libtorch declarations mean -----------*- C++ -*-===//
//
// Facts about libtorch's API that every torch- check shares: which types are
// tensors, which calls run a forward pass, which objects turn autograd off.
// The spellings are those of libtorch 1.13 and 2.x (see docs/architecture.md).
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_TORCHAPI_H
#define TORCH_TIDY_RULES_MODEL_TORCHAPI_H

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Type.h"

namespace clang::tidy::torch {

/// True when \p Decl is named \p Name and sits directly in the namespace
/// path \p Namespaces (outermost first), ignoring inline namespaces.
bool isDeclaredIn(const NamedDecl *Decl, llvm::StringRef Name,
                  llvm::ArrayRef<llvm::StringRef> Namespaces);

/// True for `at::Tensor` (also spelled `torch::Tensor` and
/// `torch::autograd::Variable`), through references, cv and sugar.
bool isTensorType(QualType Type);

/// True for a tensor, or a specialisation of one of the standard templates
/// \p StdTemplates (`tuple`, `pair`, `vector`) with such a type among its
/// type arguments: an LSTM's `std::tuple<Tensor, Tensor>` state, the
/// `std::vector<Tensor>` of `model->parameters()`.
bool isTensorOrStdOf(QualType Type,
                     llvm::ArrayRef<llvm::StringRef> StdTemplates);

/// True for `torch::nn::Module` and every class derived from it.
bool isModuleClass(const CXXRecordDecl *Record);

/// True for a `torch::nn::ModuleHolder<...>` specialisation or a class
/// derived from one (`torch::nn::Linear`, `TORCH_MODULE(Net)`).
bool isModuleHolderClass(const CXXRecordDecl *Record);

/// True for TorchScript modules (`torch::jit::Module`, `script::Module`).
bool isScriptModuleClass(const CXXRecordDecl *Record);

/// True when \p Call runs a module's forward pass: `model->forward(x)`,
/// `model(x)` through a ModuleHolder or module, `script_module.forward(in)`.
bool isForwardCall(const Expr *Call);

/// True for a forward pass that a template leaves unresolved because an
/// argument is dependent: `model(batch)` or `model->forward(batch)` on a
/// module of a known type, with `batch` of a template-dependent type.
bool isDependentForwardCall(const Expr *Call);

/// Whether a named guard variable switches autograd off or on for the rest
/// of its scope.
enum class GradGuardEffect { None, DisablesGrad, EnablesGrad };

/// Classifies a variable of type `NoGradGuard`, `AutoGradMode(bool)` or
/// `InferenceMode(bool)` by its type and constructor argument.
GradGuardEffect classifyGradGuard(const VarDecl *Var);

/// True for the RAII classes that set the grad mode for their lifetime:
/// `NoGradGuard`, `AutoGradMode` and `InferenceMode` (any spelling).
bool isGradGuardClass(const CXXRecordDecl *Record);

/// Classifies the construction of a grad-mode guard object (named or not)
/// by its class and constructor argument; None when \p Construct builds
/// something else or its argument is not a literal.
GradGuardEffect
classifyGradGuardConstruction(const CXXConstructExpr *Construct);

/// Classifies `GradMode::set_enabled(bool)` calls; None for other calls.
GradGuardEffect classifyGradModeCall(const CallExpr *Call);

/// True for the methods that add an element to a standard or c10
/// container: push_back, emplace_back, insert, ...
bool isContainerAppendMethod(llvm::StringRef Name);

/// Removes parentheses, implicit conversions, temporaries and copies: the
/// expression whose value actually flows.
const Expr *stripValueWrappers(const Expr *E);

/// The boolean value of a literal argument, if it is one.
std::optional<bool> boolLiteralValue(const Expr *E);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_TORCHAPI_H
