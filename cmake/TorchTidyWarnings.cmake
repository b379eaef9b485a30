# Warning flags shared by every target of ours. Builds must stay warning-free.
function(torch_tidy_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
endfunction()
