# The man page aiadvise(1): generated from docs/aiadvise.1.md with pandoc, installed to share/man/man1,
# compressed (gzip -9n) as Debian policy asks.
# AIADVISE_MAN: AUTO (default) builds it when pandoc is found and says at configure time when it is
# not; ON requires pandoc; OFF leaves it out. AIADVISE_MAN_ENABLED says what was decided.

set(AIADVISE_MAN AUTO CACHE STRING "Generate and install the aiadvise(1) man page: AUTO (when pandoc is found), ON (require pandoc), OFF")
set_property(CACHE AIADVISE_MAN PROPERTY STRINGS AUTO ON OFF)

set(AIADVISE_MAN_ENABLED OFF)
if(AIADVISE_MAN)  # ON, AUTO (any non-false value)
  find_program(AIADVISE_PANDOC NAMES pandoc)
  if(AIADVISE_PANDOC)
    set(AIADVISE_MAN_ENABLED ON)
    message(STATUS "Man page aiadvise(1): generated with ${AIADVISE_PANDOC}")
  elseif(AIADVISE_MAN STREQUAL "AUTO")
    message(STATUS "Man page aiadvise(1): NOT built: pandoc was not found (apt-get install pandoc, then reconfigure; "
                   "-DAIADVISE_MAN=OFF silences this)")
  else()
    message(FATAL_ERROR "pandoc was not found: it generates the man page aiadvise(1) from docs/aiadvise.1.md.\n"
                        "Install it (scripts/install-deps.sh, or: apt-get install pandoc), or configure with -DAIADVISE_MAN=AUTO or OFF.")
  endif()
else()
  message(STATUS "Man page aiadvise(1): not built (AIADVISE_MAN=OFF)")
endif()

if(AIADVISE_MAN_ENABLED)
  set(AIADVISE_MAN_SOURCE ${PROJECT_SOURCE_DIR}/docs/aiadvise.1.md)
  set(AIADVISE_MAN_PAGE ${CMAKE_BINARY_DIR}/man/aiadvise.1)
  set(AIADVISE_MAN_PAGE_GZ ${CMAKE_BINARY_DIR}/man/aiadvise.1.gz)
  add_custom_command(
    OUTPUT ${AIADVISE_MAN_PAGE} ${AIADVISE_MAN_PAGE_GZ}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${AIADVISE_PANDOC} -s -t man
            -M footer=aiadvise\ ${PROJECT_VERSION} -M date=${AIADVISE_MAN_DATE}
            -o ${AIADVISE_MAN_PAGE} ${AIADVISE_MAN_SOURCE}
    COMMAND ${CMAKE_COMMAND} -DIN=${AIADVISE_MAN_PAGE} -DOUT=${AIADVISE_MAN_PAGE_GZ} -P ${PROJECT_SOURCE_DIR}/cmake/gzip.cmake
    DEPENDS ${AIADVISE_MAN_SOURCE} ${PROJECT_SOURCE_DIR}/cmake/gzip.cmake
    COMMENT "Generating the man page aiadvise.1 with pandoc"
    VERBATIM)
  add_custom_target(aiadvise_man ALL DEPENDS ${AIADVISE_MAN_PAGE} ${AIADVISE_MAN_PAGE_GZ})
  install(FILES ${AIADVISE_MAN_PAGE_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
