# Warnings come from one interface target; -Werror and the sanitizers are options set by the presets.
add_library(aiadvise_warnings INTERFACE)
target_compile_options(aiadvise_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wnull-dereference -Wimplicit-fallthrough)
if(AIADVISE_WERROR)
  target_compile_options(aiadvise_warnings INTERFACE -Werror)
endif()
if(AIADVISE_SANITIZE)
  set(_san -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${_san})
  add_link_options(${_san})
  add_compile_definitions(_GLIBCXX_ASSERTIONS)
endif()
