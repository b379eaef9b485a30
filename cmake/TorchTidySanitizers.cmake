# Instrumented builds; both need clang (clang++-19).
#
# TORCH_TIDY_FUZZ: a second configure of this project that builds only the
# checks, instrumented for libFuzzer, ASan and UBSan, and the fuzz target of
# test/fuzz/target. The main build drives it (test/fuzz/CMakeLists.txt).
# The LLVM libraries stay as they are.
#
# TORCH_TIDY_SANITIZE: everything of ours built with ASan and UBSan, for
# `make test-sanitize`. libtorch, LLVM and clang-tidy-19 stay uninstrumented.
option(TORCH_TIDY_FUZZ "Build only the instrumented checks and the fuzz target (clang)" OFF)
option(TORCH_TIDY_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer (clang)" OFF)

if(NOT TORCH_TIDY_FUZZ AND NOT TORCH_TIDY_SANITIZE)
  return()
endif()
if(TORCH_TIDY_FUZZ AND TORCH_TIDY_SANITIZE)
  message(FATAL_ERROR "torch-tidy: TORCH_TIDY_FUZZ and TORCH_TIDY_SANITIZE are separate builds")
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "torch-tidy: sanitizer and fuzz builds need clang "
    "(-DCMAKE_CXX_COMPILER=clang++-19), not ${CMAKE_CXX_COMPILER_ID}")
endif()

# UB stops the program, so a test or the fuzzer sees it as a failure.
set(TORCH_TIDY_SANITIZER_FLAGS -fno-sanitize-recover=undefined
  -fno-omit-frame-pointer -gline-tables-only)
if(TORCH_TIDY_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
    ${TORCH_TIDY_SANITIZER_FLAGS})
  # The fuzz target adds -fsanitize=fuzzer at its own link.
  add_link_options(-fsanitize=address,undefined)
else()
  add_compile_options(-fsanitize=address,undefined ${TORCH_TIDY_SANITIZER_FLAGS})
  add_link_options(-fsanitize=address,undefined)
endif()

# clang 19 reports libstdc++ 12's own call of get_temporary_buffer (deprecated
# in C++17) inside std::stable_sort, at our call sites. The main g++ build
# still reports deprecations in our code.
add_compile_options(-Wno-deprecated-declarations)
