//===--- TorchTidyModule.cpp - The torch module of checks -----------------===//

#include "EmptyCacheInLoopCheck.h"
#include "GraphKeptAcrossIterationsCheck.h"
#include "MissingNoGradCheck.h"
#include "MissingZeroGradCheck.h"
#include "RetainGraphInLoopCheck.h"
#include "TensorsAccumulatedOnDeviceCheck.h"
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
    Factories.registerCheck<TensorsAccumulatedOnDeviceCheck>(
        "torch-tensors-accumulated-on-device");
    // Advisory and off by default: the torch-tidy driver leaves it out of
    // its default check list (docs/rules/torch-empty-cache-in-loop.md).
    Factories.registerCheck<EmptyCacheInLoopCheck>("torch-empty-cache-in-loop");
    Factories.registerCheck<MissingZeroGradCheck>("torch-missing-zero-grad");
    Factories.registerCheck<RetainGraphInLoopCheck>(
        "torch-retain-graph-in-loop");
    Factories.registerCheck<MissingNoGradCheck>("torch-missing-no-grad");
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
