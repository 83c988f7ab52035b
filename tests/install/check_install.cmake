# Script mode: installs the build into PREFIX and checks what landed there.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
foreach(f bin/aiadvise share/bash-completion/completions/aiadvise share/zsh/vendor-completions/_aiadvise
          share/fish/vendor_completions.d/aiadvise.fish share/aiadvise/schema/recommendation.schema.json
          share/aiadvise/catalog/instances-aws.json share/doc/aiadvise/README.md)
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
message(STATUS "install: 7 files in place; the installed binary recommends from another directory")
