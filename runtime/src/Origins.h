// Origins mode (TORCH_TIDY_ORIGINS=1): which line made the memory a loop
// keeps. Each CPU tensor allocation is tagged with the site and iteration
// it was made in, the outermost libtorch operator running (RecordFunction)
// and the user's frames on the stack (raw return addresses, resolved only
// by `torch-tidy confirm`). At each report write the live allocations that
// are several iterations old, the survivors, are summed per site and
// origin. See docs/runtime.md.
#ifndef TORCH_TIDY_RUNTIME_ORIGINS_H
#define TORCH_TIDY_RUNTIME_ORIGINS_H

#include "CountingCpuAllocator.h"
#include "ProbeState.h"

#include <cstdint>
#include <map>

namespace torch_tidy::probe {

/// An allocation this many iterations behind its site is a survivor.
inline constexpr int SurvivorAge = 3;
/// Survivors born in the first iterations are not in the per-iteration rate
/// (first-step allocations, caches), as `confirm` skips them too.
inline constexpr int OriginsWarmupIterations = 3;

/// Turns origins mode on when TORCH_TIDY_ORIGINS is "1": installs the
/// allocator's tagger and the operator callbacks. Call once, at start-up.
bool startOriginsFromEnvironment(CountingCpuAllocator &Allocator);

/// The calling thread entered \p Iteration of \p Site: its allocations,
/// and those of threads that never marked a site, are tagged with it.
void noteOriginsBoundary(const SiteKey *Site, int64_t Iteration);

/// A CUDA device is in use: tag CUDA blocks from now on, where this
/// libtorch can (CudaOrigins.h). Cheap after the first call.
void noteCudaInUse();

/// The survivors per site and origin, for the report. \p Sites is the
/// probe's map (its keys are the tags' sites).
OriginsSnapshot
summarizeSurvivors(const CountingCpuAllocator &Allocator,
                   const std::map<SiteKey, SiteSeries> &Sites);

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_ORIGINS_H
