# Finds the external packages and stops at configure time with the command
# that installs whatever is missing.
set(TORCH_TIDY_INSTALL_HINT "run scripts/install-deps.sh (or: sudo apt-get install")

find_package(nlohmann_json 3 QUIET)
# Machines without the package (the GPU machine) may point at a directory
# holding nlohmann/json.hpp instead.
set(TORCH_TIDY_JSON_INCLUDE_DIR "" CACHE PATH
  "Directory with nlohmann/json.hpp, used when nlohmann_json is not installed")
if(NOT nlohmann_json_FOUND AND TORCH_TIDY_JSON_INCLUDE_DIR AND
   EXISTS "${TORCH_TIDY_JSON_INCLUDE_DIR}/nlohmann/json.hpp")
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  set_target_properties(nlohmann_json::nlohmann_json PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${TORCH_TIDY_JSON_INCLUDE_DIR}")
  set(nlohmann_json_FOUND TRUE)
endif()
if(NOT nlohmann_json_FOUND)
  message(FATAL_ERROR
    "torch-tidy: nlohmann_json not found; ${TORCH_TIDY_INSTALL_HINT} nlohmann-json3-dev)")
endif()

if(TORCH_TIDY_BUILD_ANALYZER)
  # A bare find_package(Clang) picks Debian's clang-14 config first, so name
  # the LLVM 19 location explicitly.
  set(TORCH_TIDY_LLVM_ROOT "/usr/lib/llvm-19" CACHE PATH "Root of the LLVM 19 installation")
  find_package(Clang 19.1 CONFIG QUIET
    PATHS ${TORCH_TIDY_LLVM_ROOT}/lib/cmake/clang NO_DEFAULT_PATH)
  if(NOT Clang_FOUND OR NOT EXISTS "${TORCH_TIDY_LLVM_ROOT}/include/clang-tidy/ClangTidyCheck.h")
    message(FATAL_ERROR
      "torch-tidy: Clang 19 with clang-tidy headers not found under ${TORCH_TIDY_LLVM_ROOT}; "
      "${TORCH_TIDY_INSTALL_HINT} clang-19 libclang-19-dev llvm-19-dev clang-tidy-19 llvm-19-tools)")
  endif()
  find_program(TORCH_TIDY_CLANG clang-19 PATHS ${TORCH_TIDY_LLVM_ROOT}/bin REQUIRED)
  execute_process(COMMAND ${TORCH_TIDY_CLANG} -print-resource-dir
    OUTPUT_VARIABLE TORCH_TIDY_CLANG_RESOURCE_DIR OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT EXISTS "${TORCH_TIDY_CLANG_RESOURCE_DIR}/include/stddef.h")
    message(FATAL_ERROR "torch-tidy: clang resource directory not found "
      "(${TORCH_TIDY_CLANG_RESOURCE_DIR}); ${TORCH_TIDY_INSTALL_HINT} clang-19)")
  endif()
  message(STATUS "torch-tidy: Clang ${Clang_VERSION}, resource dir ${TORCH_TIDY_CLANG_RESOURCE_DIR}")
endif()

if(TORCH_TIDY_BUILD_RUNTIME)
  find_package(Torch QUIET)
  if(NOT Torch_FOUND)
    message(FATAL_ERROR
      "torch-tidy: libtorch not found; ${TORCH_TIDY_INSTALL_HINT} libtorch-dev), "
      "or point CMAKE_PREFIX_PATH at a libtorch (e.g. a PyTorch wheel's "
      "torch.utils.cmake_prefix_path)")
  endif()
  message(STATUS "torch-tidy: libtorch ${Torch_VERSION} from ${Torch_DIR}")
endif()
