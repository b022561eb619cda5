# The Windows test set (see tests/CMakeLists.txt): each program runs under Wine through the
# toolchain's cross-compiling emulator.
set(unit ${CMAKE_CURRENT_SOURCE_DIR}/unit)
wiiu_nssl_test(guest_tests SOURCES ${unit}/guest_memory_test.cpp LIBS wiiu_nssl LABELS unit)
wiiu_nssl_test(pki_tests SOURCES ${unit}/pki_der_test.cpp LIBS wiiu_pki LABELS unit)
wiiu_nssl_test(certstore_tests
  SOURCES ${unit}/certstore_metadata_test.cpp ${unit}/certstore_decrypt_test.cpp ${unit}/certstore_store_test.cpp
  LIBS wiiu_certstore LABELS unit)
wiiu_nssl_test(nsysnet_tests SOURCES ${unit}/nsysnet_service_test.cpp LIBS wiiu_nssl LABELS unit)
# Sockets over loopback and NSSL TLS flows against the in-process BearSSL server: handshakes,
# reads and writes, verification failures, every step checked against its expected result.
add_test(NAME ProbeDemo.EveryStepAsExpected COMMAND nssl-probe --demo)
set_tests_properties(ProbeDemo.EveryStepAsExpected PROPERTIES
  TIMEOUT 300 LABELS tools PASS_REGULAR_EXPRESSION "demo: every step behaved as expected")
# The probe's SHA-256 as MinGW builds it (cpuid, SHA intrinsics under target attributes), both paths.
wiiu_nssl_test(probe_sha256_tests SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tools/probe_sha256_test.cpp
  LIBS nssl_probe_sha256 LABELS tools)
