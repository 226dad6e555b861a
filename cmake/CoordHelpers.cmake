# Helpers shared by every layer.

set(COORD_EXPORTED_TARGETS "" CACHE INTERNAL "")

# coord_add_library(<layer> sources...): target coord_<layer>, alias
# coord::<layer>, include root = repo root, installed and exported.
function(coord_add_library layer)
  add_library(coord_${layer} ${ARGN})
  add_library(coord::${layer} ALIAS coord_${layer})
  set_target_properties(coord_${layer} PROPERTIES EXPORT_NAME ${layer}
                                                  OUTPUT_NAME coord_${layer})
  target_include_directories(coord_${layer} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/coord>)
  set(COORD_EXPORTED_TARGETS ${COORD_EXPORTED_TARGETS} coord_${layer}
      CACHE INTERNAL "")
endfunction()

# coord_add_test(<name> sources... LIBS libs...): one gtest binary whose
# cases ctest lists one by one.
function(coord_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_TIMEOUT 60
    PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${T_LABELS}")
endfunction()

# coord_add_bench(<name> sources... LIBS libs...): a Google Benchmark binary.
function(coord_add_bench name)
  cmake_parse_arguments(B "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${B_SOURCES})
  target_link_libraries(${name} PRIVATE ${B_LIBS} benchmark::benchmark)
endfunction()
