# The man page aiadvise(1): generated from docs/aiadvise.1.md with pandoc, installed to share/man/man1.
# AIADVISE_MAN=OFF builds without it (and without pandoc).

option(AIADVISE_MAN "Generate and install the aiadvise(1) man page (needs pandoc)" ON)

if(AIADVISE_MAN)
  find_program(AIADVISE_PANDOC NAMES pandoc)
  if(NOT AIADVISE_PANDOC)
    message(FATAL_ERROR "pandoc was not found: it generates the man page aiadvise(1) from docs/aiadvise.1.md.\n"
                        "Install it (scripts/install-deps.sh, or: apt-get install pandoc), or configure with -DAIADVISE_MAN=OFF.")
  endif()
  set(AIADVISE_MAN_SOURCE ${PROJECT_SOURCE_DIR}/docs/aiadvise.1.md)
  set(AIADVISE_MAN_PAGE ${CMAKE_BINARY_DIR}/man/aiadvise.1)
  add_custom_command(
    OUTPUT ${AIADVISE_MAN_PAGE}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${AIADVISE_PANDOC} -s -t man
            -M footer=aiadvise\ ${PROJECT_VERSION} -M date=${AIADVISE_MAN_DATE}
            -o ${AIADVISE_MAN_PAGE} ${AIADVISE_MAN_SOURCE}
    DEPENDS ${AIADVISE_MAN_SOURCE}
    COMMENT "Generating the man page aiadvise.1 with pandoc"
    VERBATIM)
  add_custom_target(aiadvise_man ALL DEPENDS ${AIADVISE_MAN_PAGE})
  install(FILES ${AIADVISE_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
