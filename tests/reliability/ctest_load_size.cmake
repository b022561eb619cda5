# Read by ctest (see CMakeLists.txt): the load test echoes 4 MiB per connection under ctest.
if(TEST "ReliabilityLoad.ThreeGuestThreadsTimesTenConnectionsEcho")
  set_tests_properties("ReliabilityLoad.ThreeGuestThreadsTimesTenConnectionsEcho" PROPERTIES
                       ENVIRONMENT "RELIABILITY_LOAD_MIB=4")
endif()
