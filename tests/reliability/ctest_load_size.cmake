# Read by ctest after the discovered tests (see CMakeLists.txt): the load test echoes 4 MiB per
# connection under ctest. gtest_discover_tests lists the tests it found in reliability_tests_TESTS
# (nothing before the first build); plain foreach/STREQUAL keeps this free of policy settings.
foreach(discovered IN LISTS reliability_tests_TESTS)
  if(discovered STREQUAL "ReliabilityLoad.ThreeGuestThreadsTimesTenConnectionsEcho")
    set_tests_properties("${discovered}" PROPERTIES ENVIRONMENT "RELIABILITY_LOAD_MIB=4")
  endif()
endforeach()
