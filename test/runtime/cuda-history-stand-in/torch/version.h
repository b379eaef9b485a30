// Stand-in for a libtorch 2.x version header: see
// test/runtime/CudaHistoryStandInTest.cpp.
#pragma once
#define TORCH_VERSION_MAJOR 2
#define TORCH_VERSION_MINOR 11
#define TORCH_VERSION_PATCH 0
