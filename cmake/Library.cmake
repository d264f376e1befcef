# confidant_library(NAME SOURCES a.cpp ... [PUBLIC deps...] [PRIVATE deps...])
# One static library per layer: target confidant_NAME, alias confidant::NAME, includes rooted at
# the source tree ("server/store/database.hpp").
function(confidant_library name)
  cmake_parse_arguments(L "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(confidant_${name} STATIC ${L_SOURCES})
  add_library(confidant::${name} ALIAS confidant_${name})
  target_include_directories(confidant_${name} PUBLIC ${CMAKE_SOURCE_DIR})
  target_link_libraries(confidant_${name} PUBLIC ${L_PUBLIC} PRIVATE ${L_PRIVATE})
endfunction()
