// The probe's CUDA origins on libtorch 2.1+ (CudaOrigins.cpp, TorchCompat.h)
// against a stand-in of the caching allocator's API
// (cuda-history-stand-in/): history recording is turned on with the
// probe's recorder whatever recordHistory's parameter count, and only
// allocated blocks with the probe's own context are visited, with their
// device and size and the tag the recorder filled. Built once per
// parameter count; exits non-zero on a failure. The real API is checked by
// test/gpu/run.sh on a GPU machine.
#include "CudaOrigins.h"
#include "TorchCompat.h"

#include <cstdio>

namespace {

void tagForTest(torch_tidy::probe::OriginTag &Tag) noexcept {
  Tag.Iteration = 42;
  Tag.Op = 7;
}

int Failures = 0;
void expect(bool Ok, const char *What) {
  std::printf("%s: %s\n", Ok ? "PASS" : "FAIL", What);
  Failures += Ok ? 0 : 1;
}

} // namespace

int main() {
  namespace A = c10::cuda::CUDACachingAllocator;
  using namespace torch_tidy::probe;
  expect(cudaOriginsAvailable(), "CUDA origins are available on 2.1+");
  expect(startCudaOrigins(&tagForTest), "history recording turned on");
  expect(A::RecordHistoryArity == TORCH_TIDY_STAND_IN_ARITY,
         "the recordHistory overload of this version was called");
  expect(A::When == A::RecordContext::STATE,
         "contexts are kept for allocated blocks only");
  int Seen = 0;
  forEachTaggedCudaBlock([&](int Device, size_t Bytes, const OriginTag &Tag) {
    ++Seen;
    expect(Device == 1 && Bytes == 512 && Tag.Iteration == 42 && Tag.Op == 7,
           "the tagged block's device, size and tag");
  });
  expect(Seen == 1, "free blocks and other recorders' contexts are skipped");
  return Failures == 0 ? 0 : 1;
}
