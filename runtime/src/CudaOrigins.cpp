// NOT YET RUN ON A GPU: the TORCH_TIDY_HAS_CUDA_HISTORY branch compiles only
// against a CUDA libtorch 2.1 or later (test/gpu/run.sh builds it there).
#include "CudaOrigins.h"
#include "TorchCompat.h"

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>

namespace torch_tidy::probe {

#ifdef TORCH_TIDY_HAS_CUDA_HISTORY

namespace {

/// What the allocator keeps with a block while it is allocated.
struct TaggedContext : c10::GatheredContext {
  OriginTag Tag;
};

std::atomic<CudaBlockTagger> Tagger{nullptr};
std::once_flag Started;
bool On = false;

std::shared_ptr<c10::GatheredContext> tagNewBlock() {
  auto Context = std::make_shared<TaggedContext>();
  if (CudaBlockTagger Tag = Tagger.load(std::memory_order_acquire))
    Tag(Context->Tag);
  return Context;
}

} // namespace

bool cudaOriginsAvailable() { return true; }

bool startCudaOrigins(CudaBlockTagger Tag) {
  std::call_once(Started, [Tag] {
    Tagger.store(Tag, std::memory_order_release);
    try {
      startCudaHistory(&tagNewBlock);
      On = true;
    } catch (const std::exception &) {
      // An allocator without history (another backend): CPU origins only.
    }
  });
  return On;
}

void forEachTaggedCudaBlock(
    const std::function<void(int, size_t, const OriginTag &)> &Visit) {
  if (!On)
    return;
  forEachCudaBlockContext(
      [&](int Device, int64_t Bytes, const c10::GatheredContext *Context) {
        // Contexts from someone else's recorder (the program's own
        // memory snapshots) are not ours.
        if (auto *Tagged = dynamic_cast<const TaggedContext *>(Context))
          Visit(Device, static_cast<size_t>(Bytes), Tagged->Tag);
      });
}

#else

bool cudaOriginsAvailable() { return false; }
bool startCudaOrigins(CudaBlockTagger) { return false; }
void forEachTaggedCudaBlock(
    const std::function<void(int, size_t, const OriginTag &)> &) {}

#endif

} // namespace torch_tidy::probe
