// Every difference between the libtorch versions the probe supports (1.13
// and 2.x) lives here.
#ifndef TORCH_TIDY_RUNTIME_TORCHCOMPAT_H
#define TORCH_TIDY_RUNTIME_TORCHCOMPAT_H

#include <torch/version.h>

// Allocator::allocate is const in 1.x and non-const in 2.x.
#if TORCH_VERSION_MAJOR >= 2
#define TORCH_TIDY_ALLOCATE_QUALIFIER
#else
#define TORCH_TIDY_ALLOCATE_QUALIFIER const
#endif

#define TORCH_TIDY_STRINGIFY_INNER(x) #x
#define TORCH_TIDY_STRINGIFY(x) TORCH_TIDY_STRINGIFY_INNER(x)
#define TORCH_TIDY_LIBTORCH_VERSION                                            \
  TORCH_TIDY_STRINGIFY(TORCH_VERSION_MAJOR)                                    \
  "." TORCH_TIDY_STRINGIFY(TORCH_VERSION_MINOR) "." TORCH_TIDY_STRINGIFY(      \
      TORCH_VERSION_PATCH)

#endif // TORCH_TIDY_RUNTIME_TORCHCOMPAT_H
