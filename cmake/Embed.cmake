# confidant_embed(TARGET name NAMESPACE ns FILES a.sql b.sql ...)
# Generates a C++ source that holds each file's bytes as a std::string_view, keyed by its file
# name in order, so migrations and demo data ship inside the binary.
function(confidant_embed)
  cmake_parse_arguments(E "" "TARGET;NAMESPACE" "FILES" ${ARGN})
  set(_out "${CMAKE_CURRENT_BINARY_DIR}/${E_TARGET}_embedded.cpp")
  set(_inputs)
  foreach(f IN LISTS E_FILES)
    list(APPEND _inputs "${CMAKE_CURRENT_SOURCE_DIR}/${f}")
  endforeach()
  # A list argument would be split at its semicolons on the command line: pass it joined by "|".
  string(REPLACE ";" "|" _joined "${_inputs}")
  add_custom_command(
    OUTPUT "${_out}"
    COMMAND "${CMAKE_COMMAND}" -DOUT=${_out} -DNAMESPACE=${E_NAMESPACE} "-DINPUTS=${_joined}"
            -P "${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake"
    DEPENDS ${_inputs} "${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake"
    COMMENT "Embedding ${E_TARGET}"
    VERBATIM)
  target_sources(${E_TARGET} PRIVATE "${_out}")
endfunction()
