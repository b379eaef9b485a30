// Exact live-byte counts of the probe's CPU allocator wrapper.
#include "CountingCpuAllocator.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <c10/core/CPUAllocator.h>

#include <atomic>
#include <thread>
#include <vector>

namespace torch_tidy::probe {
namespace {

class CountingCpuAllocatorTest : public ::testing::Test {
protected:
  CountingCpuAllocator &Allocator = CountingCpuAllocator::install();
};

TEST_F(CountingCpuAllocatorTest, TensorOfNBytesRaisesLiveBytesByExactlyN) {
  int64_t Before = Allocator.liveBytes();
  {
    torch::Tensor T = torch::empty({1000}, torch::kFloat);
    EXPECT_EQ(Allocator.liveBytes() - Before, 4000);
    torch::Tensor D = torch::empty({3, 7}, torch::kDouble);
    EXPECT_EQ(Allocator.liveBytes() - Before, 4000 + 3 * 7 * 8);
  }
  EXPECT_EQ(Allocator.liveBytes(), Before);
}

TEST_F(CountingCpuAllocatorTest, ViewsAndInPlaceOpsAllocateNothing) {
  torch::Tensor T = torch::ones({64, 64});
  int64_t Before = Allocator.liveBytes();
  torch::Tensor View = T.view({4096});
  torch::Tensor Slice = T.slice(0, 0, 8);
  T.add_(1);
  T.mul_(2);
  EXPECT_EQ(Allocator.liveBytes(), Before);
  torch::Tensor Sum = T + T; // Out of place: a new 64x64 float tensor.
  EXPECT_EQ(Allocator.liveBytes() - Before, 64 * 64 * 4);
}

TEST_F(CountingCpuAllocatorTest, StorageSharedByCopiesIsCountedOnce) {
  int64_t Before = Allocator.liveBytes();
  torch::Tensor A = torch::empty({256}, torch::kFloat);
  torch::Tensor B = A; // Same storage.
  A = torch::Tensor();
  EXPECT_EQ(Allocator.liveBytes() - Before, 1024);
  B = torch::Tensor();
  EXPECT_EQ(Allocator.liveBytes(), Before);
}

TEST_F(CountingCpuAllocatorTest, ConcurrentAllocationsKeepExactCounts) {
  constexpr int Threads = 8;
  constexpr int PerThread = 200;
  int64_t Before = Allocator.liveBytes();
  std::atomic<int> Ready{0};
  std::atomic<bool> Release{false};
  std::vector<std::thread> Workers;
  int64_t Expected = 0;
  for (int T = 0; T < Threads; ++T)
    for (int I = 0; I < PerThread; ++I)
      Expected += (T * PerThread + I) % 97 * 4 + 4;
  for (int T = 0; T < Threads; ++T)
    Workers.emplace_back([&, T] {
      std::vector<torch::Tensor> Held;
      for (int I = 0; I < PerThread; ++I) {
        int64_t Elements = (T * PerThread + I) % 97 + 1;
        Held.push_back(torch::empty({Elements}, torch::kFloat));
        // Churn: allocate and free in between.
        torch::Tensor Scratch = torch::empty({Elements * 3}, torch::kFloat);
      }
      ++Ready;
      while (!Release.load())
        std::this_thread::yield();
    });
  while (Ready.load() < Threads)
    std::this_thread::yield();
  EXPECT_EQ(Allocator.liveBytes() - Before, Expected);
  Release = true;
  for (std::thread &W : Workers)
    W.join();
  EXPECT_EQ(Allocator.liveBytes(), Before);
}

TEST_F(CountingCpuAllocatorTest, PeakCoversFreedAllocationsUntilReset) {
  Allocator.resetPeak();
  int64_t Before = Allocator.liveBytes();
  { torch::Tensor Big = torch::empty({1 << 18}, torch::kFloat); }
  EXPECT_GE(Allocator.peakBytes() - Before, int64_t(1) << 20);
  Allocator.resetPeak();
  EXPECT_EQ(Allocator.peakBytes(), Allocator.liveBytes());
}

TEST_F(CountingCpuAllocatorTest, RawAllocateStillWorks) {
  int64_t Before = Allocator.liveBytes();
  void *Raw = c10::GetCPUAllocator()->raw_allocate(512);
  ASSERT_NE(Raw, nullptr);
  EXPECT_EQ(Allocator.liveBytes() - Before, 512);
  c10::GetCPUAllocator()->raw_deallocate(Raw);
  EXPECT_EQ(Allocator.liveBytes(), Before);
}

} // namespace
} // namespace torch_tidy::probe
