# aiadvise_embed(OUT_VAR files...): generates a C++ source holding each file as a byte array, plus a
# table of {name, data, size}, regenerated when any file changes. Pure CMake: no xxd, no runtime lookup.
function(aiadvise_embed out_var)
  set(generated ${CMAKE_CURRENT_BINARY_DIR}/embedded_catalog.cpp)
  add_custom_command(
    OUTPUT ${generated}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${generated} "-DFILES=${ARGN}" -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${ARGN} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding the default catalog (${CMAKE_CURRENT_BINARY_DIR}/embedded_catalog.cpp)"
    VERBATIM)
  set(${out_var} ${generated} PARENT_SCOPE)
endfunction()
