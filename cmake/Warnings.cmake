# Compiler warnings and sanitizers, applied to every target of the project.
function(leadline_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
  if(LEADLINE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# Test code (not the code under test) is compiled for compile speed in optimised builds: test
# files are most of the build's files and their -O2 code generation most of its time, while
# their own code's speed matters to no test. Unoptimised, they compile about a quarter faster
# than at -O1 (gcc 12). Line tables stay, for failures' stack traces.
function(leadline_test_code target)
  target_compile_options(${target} PRIVATE $<$<CONFIG:RelWithDebInfo,Release>:-O0 -g1>)
endfunction()

# The local stand-ins for upstreams (tests/*_double) are test infrastructure, not the code under
# test: the sanitizers' build compiles them without instrumentation, so they build and serve at
# full speed while Leadline's own code stays checked.
function(leadline_double_code target)
  if(LEADLINE_SANITIZE)
    target_compile_options(${target} PRIVATE -fno-sanitize=all)
  endif()
endfunction()

if(LEADLINE_SANITIZE)
  # LEADLINE_SANITIZED tells code built this way (tests' time bounds) so, under gcc and clang
  # alike (gcc's __SANITIZE_ADDRESS__ is not clang's).
  add_compile_definitions(LEADLINE_SANITIZED=1)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
