# Script mode: installs the build into PREFIX and checks what landed there.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
set(expected bin/aiadvise share/bash-completion/completions/aiadvise share/zsh/vendor-completions/_aiadvise
             share/fish/vendor_completions.d/aiadvise.fish share/aiadvise/schema/recommendation.schema.json
             share/aiadvise/catalog/instances-aws.json share/doc/aiadvise/README.md)
# The man page is generated unless the build was configured with -DAIADVISE_MAN=OFF.
if(EXISTS ${BUILD_DIR}/man/aiadvise.1.gz)
  list(APPEND expected share/man/man1/aiadvise.1.gz)
endif()
list(APPEND expected share/doc/aiadvise/copyright share/doc/aiadvise/changelog.Debian.gz)
list(LENGTH expected expected_count)
foreach(f ${expected})
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "missing after install: ${f}")
  endif()
endforeach()
execute_process(COMMAND ${PREFIX}/bin/aiadvise recommend --model llama-3.1-8b --qps 2 --format json
                WORKING_DIRECTORY /tmp RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"verdict\": \"ok\"")
  message(FATAL_ERROR "the installed aiadvise did not recommend from /tmp (exit ${rc})")
endif()
file(REMOVE_RECURSE ${PREFIX})
message(STATUS "install: ${expected_count} files in place; the installed binary recommends from another directory")
