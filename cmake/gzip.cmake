# Script mode: gzip -9n IN > OUT (no name, no timestamp: reproducible, as Debian policy asks).
find_program(GZIP NAMES gzip REQUIRED)
execute_process(COMMAND ${GZIP} -9 -n -c ${IN} OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip ${IN} failed: ${rc}")
endif()
