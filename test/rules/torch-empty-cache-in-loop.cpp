// REQUIRES: stub-headers
// RUN: %check_torch_tidy %s torch-empty-cache-in-loop %t -- %torch_include

#include <c10/cuda/CUDACachingAllocator.h>
#include <torch/torch.h>

#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

torch::Tensor make_batch(int i);
bool more_batches();
void emptyCache();

namespace alloc = c10::cuda::CUDACachingAllocator;

// ---------------------------------------------------------------------------
// Positives
// ---------------------------------------------------------------------------

void everyTrainingStep(Net model, torch::optim::SGD &optimizer) {
  model->to(torch::kCUDA);
  for (int i = 0; i < 1000; ++i) {
    optimizer.zero_grad();
    auto loss = model(make_batch(i).cuda()).mean();
    loss.backward();
    optimizer.step();
    c10::cuda::CUDACachingAllocator::emptyCache();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'emptyCache()' in a loop frees no memory that live tensors hold; it returns the allocator's cached blocks to the driver, so the next iteration must cudaMalloc them again and every step slows down; call it once after the loop, if at all [torch-empty-cache-in-loop]
    // CHECK-MESSAGES: :[[@LINE-7]]:3: note: the cache is emptied on every iteration of this loop
  }
}

void throughAtCuda() {
  for (int i = 0; i < 10; ++i) {
    auto x = make_batch(i).cuda();
    at::cuda::CUDACachingAllocator::emptyCache();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'emptyCache()' in a loop frees no memory
  }
}

void throughANamespaceAlias() {
  for (int i = 0; i < 10; ++i)
    alloc::emptyCache();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'emptyCache()' in a loop
}

void throughAUsingDirective() {
  using namespace c10::cuda::CUDACachingAllocator;
  int i = 0;
  while (i++ < 10)
    c10::cuda::CUDACachingAllocator::emptyCache();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'emptyCache()' in a loop
}

void inADoWhile() {
  int i = 0;
  do {
    alloc::emptyCache();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'emptyCache()' in a loop
  } while (++i < 10);
}

void inARangeFor(const std::vector<torch::Tensor> &batches) {
  for (const auto &batch : batches) {
    auto y = batch.cuda() * 2;
    alloc::emptyCache();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'emptyCache()' in a loop
  }
}

void insideAnIf() {
  for (int i = 0; i < 100; ++i) {
    if (i % 10 == 0)
      alloc::emptyCache();
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'emptyCache()' in a loop
  }
}

void innerLoopGetsTheNote() {
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (int i = 0; i < 100; ++i) {
      alloc::emptyCache();
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'emptyCache()' in a loop
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: the cache is emptied on every iteration of this loop
    }
  }
}

class Trainer {
public:
  void run() {
    while (more_batches())
      c10::cuda::CUDACachingAllocator::emptyCache();
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'emptyCache()' in a loop
  }
};

void insideALambdaCalledInTheLoop() {
  auto step = [](int i) {
    for (int k = 0; k < i; ++k)
      alloc::emptyCache();
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'emptyCache()' in a loop
  };
  step(3);
}

template <typename T> void inATemplate(T n) {
  for (T i = 0; i < n; ++i)
    alloc::emptyCache();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'emptyCache()' in a loop
}
template void inATemplate<int>(int);

void afterEveryBatchOfAnEpoch() {
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (int i = 0; i < 100; ++i)
      make_batch(i).cuda();
    alloc::emptyCache();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'emptyCache()' in a loop
  }
}

// ---------------------------------------------------------------------------
// Negatives
// ---------------------------------------------------------------------------

void onceAfterTheLoop() {
  for (int i = 0; i < 10; ++i)
    make_batch(i).cuda();
  c10::cuda::CUDACachingAllocator::emptyCache();
}

void onceBeforeTheLoop() {
  alloc::emptyCache();
  for (int i = 0; i < 10; ++i)
    make_batch(i).cuda();
}

void aFunctionOfTheSameName() {
  for (int i = 0; i < 10; ++i)
    emptyCache();
}

void otherAllocatorCallsInTheLoop() {
  for (int i = 0; i < 10; ++i)
    alloc::resetPeakStats(0);
}

void inTheLoopCondition() {
  int i = 0;
  for (alloc::emptyCache(); i < 10; ++i)
    make_batch(i).cuda();
}

void lambdaDefinedInALoopIsNotCalledThere() {
  std::vector<void (*)()> hooks;
  for (int i = 0; i < 10; ++i)
    hooks.push_back([] { alloc::emptyCache(); });
}

void noLoopAtAll() {
  auto x = make_batch(0).cuda();
  alloc::emptyCache();
}

void afterTraining(Net model) {
  for (int epoch = 0; epoch < 10; ++epoch)
    model(make_batch(epoch).cuda());
  {
    alloc::emptyCache();
  }
}

void inACatchAfterTheLoop() {
  try {
    for (int i = 0; i < 10; ++i)
      make_batch(i).cuda();
  } catch (...) {
    alloc::emptyCache();
  }
}

void addressTakenNotCalled() {
  for (int i = 0; i < 10; ++i) {
    void (*fn)() = &alloc::emptyCache;
    (void)fn;
  }
}

void callerOfAHelper();
void helperThatEmpties() { alloc::emptyCache(); }
void callerOfAHelper() {
  // Only direct calls are reported: the helper may serve other callers.
  for (int i = 0; i < 10; ++i)
    helperThatEmpties();
}

void rawAllocatorCallsInTheLoop() {
  for (int i = 0; i < 10; ++i)
    alloc::raw_delete(alloc::raw_alloc(16));
}
