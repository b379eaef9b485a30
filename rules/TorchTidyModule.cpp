//===--- TorchTidyModule.cpp - The torch module of checks -----------------===//

#include "TorchTidyRules/ModuleAnchor.h"

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
    // Every rule of the table, on or off by default alike: the torch-tidy
    // driver leaves the rules that are off out of its default check list.
#define TORCH_TIDY_RULE(Id, Class, EnabledByDefault, Summary, Help, FixIts,    \
                        Confirmation)                                          \
  Factories.registerCheck<Class>(Id);
#include "TorchTidyRules/Rules.def"
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
