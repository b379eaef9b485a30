//===--- TorchTidyModule.cpp - The torch module of checks -----------------===//

#include "GraphKeptAcrossIterationsCheck.h"
#include "UnguardedParameterUpdateCheck.h"
#include "UnnamedGradGuardCheck.h"

#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

namespace clang::tidy::torch {

class TorchTidyModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<GraphKeptAcrossIterationsCheck>(
        "torch-graph-kept-across-iterations");
    Factories.registerCheck<UnguardedParameterUpdateCheck>(
        "torch-unguarded-parameter-update");
    Factories.registerCheck<UnnamedGradGuardCheck>("torch-unnamed-grad-guard");
  }
};

} // namespace clang::tidy::torch

namespace clang::tidy {

static ClangTidyModuleRegistry::Add<torch::TorchTidyModule>
    TorchModuleRegistration("torch-module",
                            "Checks for memory growth in libtorch training "
                            "and inference code.");

// Referenced by the torch-tidy driver so that a static link keeps this
// module's registration.
// NOLINTNEXTLINE(misc-use-internal-linkage)
volatile int TorchTidyModuleAnchorSource = 0;

} // namespace clang::tidy
