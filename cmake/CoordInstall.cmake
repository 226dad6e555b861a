# Installs headers, libraries and a CMake package so that
#   find_package(coord CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE coord::recipes coord::embedded)
# works in an outside project.
include(CMakePackageConfigHelpers)

install(TARGETS ${COORD_EXPORTED_TARGETS}
  EXPORT coordTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Public headers: every header outside detail/ folders and tests, plus
# api/detail/ (api's public templates use it; it holds no backend type).
foreach(dir api recipes sim backends)
  if(EXISTS ${PROJECT_SOURCE_DIR}/${dir})
    install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/coord/${dir}
      FILES_MATCHING PATTERN "*.h"
      PATTERN "detail" EXCLUDE PATTERN "proto" EXCLUDE)
  endif()
endforeach()
install(DIRECTORY api/detail/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/coord/api/detail
  FILES_MATCHING PATTERN "*.h")

install(EXPORT coordTargets NAMESPACE coord::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/coord)
configure_package_config_file(cmake/coordConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/coordConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/coord)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/coordConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/coordConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/coordConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/coord)
