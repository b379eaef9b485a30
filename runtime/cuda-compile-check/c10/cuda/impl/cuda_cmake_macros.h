// Stands in for the header that a CUDA build of libtorch generates and
// Debian's CPU package lacks; used only to compile-check the probe's CUDA
// branch (runtime/CMakeLists.txt).
#pragma once
#define C10_CUDA_BUILD_SHARED_LIBS
