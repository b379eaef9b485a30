//===--- DeviceFlow.h - Which tensors live on a CUDA device -----*- C++ -*-===//
//
// A tensor is on CUDA when it was moved there (`.cuda()`, `.to(torch::kCUDA)`,
// `.to(device)` with a device initialised to CUDA), made there (a factory
// given CUDA options), computed from such a tensor, or produced by a module
// moved there (`model->to(torch::kCUDA)`). It leaves CUDA through `.cpu()`,
// `.to(torch::kCPU)` and `.item()`. A device whose value is not known (a
// parameter, say) is not CUDA: the checks built on this stay silent then.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_RULES_MODEL_DEVICEFLOW_H
#define TORCH_TIDY_RULES_MODEL_DEVICEFLOW_H

#include "FunctionBodyIndex.h"
#include "ReturnSummaries.h"

#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <functional>
#include <memory>

namespace clang::tidy::torch {

/// What an expression of type `Device`, `DeviceType`, `TensorOptions` or a
/// device string says about the device.
enum class DeviceKind { Unknown, Cuda, Cpu };

class DeviceFlow {
public:
  /// \p IsUserFunction says which callees may be summarised from their
  /// bodies; library functions are judged by their arguments alone.
  explicit DeviceFlow(std::function<bool(const FunctionDecl &)> IsUserFunction)
      : IsUserFunction(std::move(IsUserFunction)), VariableResults(Cycles),
        CudaReturns(Cycles), OutputReturns(Cycles) {}

  /// True when the tensor (or container of tensors) \p E, evaluated inside
  /// \p Index's function, is known or likely to be on a CUDA device.
  bool isOnCuda(const Expr *E, const FunctionBodyIndex &Index);

  /// The device that \p E names: `torch::kCUDA`, `torch::Device(kCUDA, 1)`,
  /// `"cuda:0"`, `torch::device(kCUDA)`, `x.device()`, a local variable
  /// set to one of these. A variable that is CUDA on some path (`device =
  /// torch::kCUDA` under `if (torch::cuda::is_available())`) counts as CUDA.
  DeviceKind deviceOf(const Expr *E, const FunctionBodyIndex &Index);

  /// True when \p E is, or is computed from, the output of a module's
  /// forward pass (directly, through local variables, or through a helper
  /// of the same translation unit). Tensors only moved or made on the
  /// device (a dataset preloaded to the GPU) are not outputs.
  bool isModuleOutput(const Expr *E, const FunctionBodyIndex &Index);

  /// The index of \p Function, built once.
  const FunctionBodyIndex &indexOf(const FunctionDecl &Function);

private:
  bool onCuda(const Expr *E, const FunctionBodyIndex &Index);
  bool variableOnCuda(const VarDecl *Var, const FunctionBodyIndex &Index);
  bool moduleMovedToCuda(const Expr *Module, const FunctionBodyIndex &Index);
  bool returnsCuda(const FunctionDecl *Function);
  bool callOnCuda(const CallExpr *Call, const FunctionBodyIndex &Index);
  bool returnsOutput(const FunctionDecl *Function);

  std::function<bool(const FunctionDecl &)> IsUserFunction;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionBodyIndex>>
      Indexes;
  // Cycles such as `h = cell(x, h)` and recursion between functions.
  CycleTracker Cycles;
  RecursiveMemo<const VarDecl *, bool> VariableResults;
  ReturnSummaries CudaReturns;
  ReturnSummaries OutputReturns;
  // Breaks cycles between device variables (`deviceOf`).
  llvm::DenseSet<const void *> InProgress;
};

/// True for `c10::cuda::CUDACachingAllocator::emptyCache()`, also reached as
/// `at::cuda::CUDACachingAllocator::emptyCache()`.
bool isEmptyCacheCall(const CallExpr *Call);

} // namespace clang::tidy::torch

#endif // TORCH_TIDY_RULES_MODEL_DEVICEFLOW_H
