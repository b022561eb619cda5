# The Windows test set (MinGW-w64 build, scripts/test.sh --windows). Each test program runs under
# Wine through the toolchain's cross-compiling emulator; the host-side scripts (tests/windows/)
# run natively and start Windows programs through cmake/wine-run.sh themselves.
#
# Left out, with the reason:
#  - support/ pieces that need a POSIX host: the TLS peers (tls_peer: posix_spawn of openssl,
#    gnutls-serv, python) and the fiber scheduler (ucontext). So the programs built on them stay
#    Linux-only: tls_peers, tls_stream, nssl_handshake and nssl_io (TLS peers), reliability and
#    embedding (TLS peers, fibers), and the nssl-probe end-to-end tests in tools/ (TLS peers;
#    NSSL against openssl s_server runs through tests/windows/probe_s_server.sh instead).
#  - The certificate-store tests on unit/certstore_fixture.cpp (console dump, portable store,
#    dump_certs CLI, public CAs): the fixture runs make_console_dump.sh and uses mkdtemp/getpid.
#    dump_certs.exe on a console dump runs through tests/windows/dump_certs_wine.sh instead.
#  - The PowerPC guests under Unicorn (a Linux library).
#  - Tests that compare with the host's openssl output (runCommand), or start python3
#    (NsysnetIo.TcpEchoWithExternalPython): a Windows program under Wine cannot start them.
#  - SocketService.ReceiveAfterPeerReset, NsysnetIo.PeerResetIsEconnreset: Wine's closesocket()
#    with SO_LINGER {on, 0} closes with FIN, not RST (checked with a plain Winsock program under
#    Debian 12's Wine 8.0), so the peer reads end-of-file; a Wine limitation, not the library's.
set(unit ${CMAKE_CURRENT_SOURCE_DIR}/unit)
set(support ${CMAKE_CURRENT_SOURCE_DIR}/support)
set(interop ${CMAKE_CURRENT_SOURCE_DIR}/interop)

# The portable part of support/ (see support/CMakeLists.txt for the whole).
add_library(wiiu_test_support STATIC
  ${support}/pki_fixture.cpp ${support}/bearssl_server.cpp ${support}/nssl_guest.cpp ${support}/tcp_transport.cpp)
target_include_directories(wiiu_test_support PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(wiiu_test_support PUBLIC
  WIIU_NSSL_SOURCE_DIR="${PROJECT_SOURCE_DIR}" WIIU_NSSL_BINARY_DIR="${PROJECT_BINARY_DIR}")
target_link_libraries(wiiu_test_support PUBLIC wiiu_nssl)
wiiu_nssl_target_defaults(wiiu_test_support)

# The test PKI: make_pki.sh and make_quirk_pki.sh run on the host (openssl) before any program
# that reads it; support/pki_fixture.cpp on Windows only reads the directories.
add_test(NAME Fixtures.WindowsPki
         COMMAND sh -c "sh '${CMAKE_CURRENT_SOURCE_DIR}/fixtures/make_pki.sh' '${PROJECT_BINARY_DIR}/fixtures/pki' && sh '${CMAKE_CURRENT_SOURCE_DIR}/fixtures/make_quirk_pki.sh' '${PROJECT_BINARY_DIR}/fixtures/quirk-pki'")
set_tests_properties(Fixtures.WindowsPki PROPERTIES FIXTURES_SETUP windows_pki LABELS unit TIMEOUT 300)

wiiu_nssl_test(guest_tests
  SOURCES ${unit}/guest_memory_test.cpp ${unit}/guest_hooks_test.cpp ${unit}/guest_wait_test.cpp
          ${unit}/import_table_test.cpp ${unit}/log_sink_test.cpp
  LIBS wiiu_nssl LABELS unit)
wiiu_nssl_test(pki_tests
  SOURCES ${unit}/pki_der_test.cpp ${unit}/pki_x509_test.cpp ${unit}/pki_encoding_test.cpp
          ${unit}/pki_key_test.cpp ${unit}/pki_crl_test.cpp ${unit}/tls_unit_test.cpp
  LIBS wiiu_test_support LABELS unit
  EXCLUDE "pki_x509.FieldsMatchOpenssl:pki_crl.V2FieldsMatchOpenssl:pki_digest.MatchesOpensslDgst"
  PROPERTIES FIXTURES_REQUIRED windows_pki)
wiiu_nssl_test(certstore_tests
  SOURCES ${unit}/certstore_metadata_test.cpp ${unit}/certstore_decrypt_test.cpp ${unit}/certstore_store_test.cpp
  LIBS wiiu_certstore LABELS unit)
wiiu_nssl_test(nsysnet_tests
  SOURCES ${unit}/nsysnet_service_test.cpp ${unit}/nsysnet_socket_test.cpp ${unit}/nsysnet_resolver_test.cpp
          ${unit}/nsysnet_io_test.cpp ${unit}/nsysnet_hostile_guest_test.cpp ${unit}/nsysnet_console_test.cpp
          ${unit}/nsysnet_shared_socket_test.cpp
  LIBS wiiu_nssl LABELS unit
  EXCLUDE "SocketService.ReceiveAfterPeerReset:NsysnetIo.PeerResetIsEconnreset:NsysnetIo.TcpEchoWithExternalPython")
# The TLS engine on a TCP transport against the in-process BearSSL server: verification results.
wiiu_nssl_test(tls_tests SOURCES ${interop}/tls_verify_test.cpp LIBS wiiu_test_support LABELS interop
  PROPERTIES FIXTURES_REQUIRED windows_pki)
# NSSL TLS flows through the guest exports against the in-process BearSSL server.
wiiu_nssl_test(nssl_tests
  SOURCES ${interop}/nssl_api_test.cpp ${interop}/nssl_crl_test.cpp ${interop}/nssl_hostile_guest_test.cpp
          ${interop}/nssl_service_test.cpp ${interop}/nssl_quirk_test.cpp ${interop}/nssl_public_cas_test.cpp
  LIBS wiiu_test_support LABELS interop
  PROPERTIES FIXTURES_REQUIRED windows_pki)
# Sockets over loopback and NSSL TLS flows against the in-process BearSSL server: handshakes,
# reads and writes, verification failures, every step checked against its expected result.
add_test(NAME ProbeDemo.EveryStepAsExpected COMMAND nssl-probe --demo)
set_tests_properties(ProbeDemo.EveryStepAsExpected PROPERTIES
  TIMEOUT 300 LABELS tools PASS_REGULAR_EXPRESSION "demo: every step behaved as expected")
# The probe's SHA-256 as MinGW builds it (cpuid, SHA intrinsics under target attributes), both paths.
wiiu_nssl_test(probe_sha256_tests SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tools/probe_sha256_test.cpp
  LIBS nssl_probe_sha256 LABELS tools)

# Host-side scripts: the COMMAND is a shell script, so ctest runs it natively (no emulator); the
# script starts the Windows program under Wine itself.
set(wine_run ${PROJECT_SOURCE_DIR}/cmake/wine-run.sh)
set(wine_env "WIIU_NSSL_WINEPREFIX=${PROJECT_BINARY_DIR}/wineprefix")
add_test(NAME ProbeWine.AgainstHostOpensslServer
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/windows/probe_s_server.sh ${wine_run} $<TARGET_FILE:nssl-probe>
                 ${PROJECT_BINARY_DIR}/fixtures/pki ${PROJECT_BINARY_DIR}/windows-tests/probe)
set_tests_properties(ProbeWine.AgainstHostOpensslServer PROPERTIES
  FIXTURES_REQUIRED windows_pki ENVIRONMENT "${wine_env}" TIMEOUT 300 LABELS tools PASS_REGULAR_EXPRESSION "probe_s_server: every case as expected")
add_test(NAME DumpCertsWine.DriveLetterPathsAndAtomicReplace
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/windows/dump_certs_wine.sh ${wine_run} $<TARGET_FILE:dump_certs>
                 ${PROJECT_BINARY_DIR}/windows-tests/dump_certs)
set_tests_properties(DumpCertsWine.DriveLetterPathsAndAtomicReplace PROPERTIES
  ENVIRONMENT "${wine_env}" TIMEOUT 300 LABELS tools PASS_REGULAR_EXPRESSION "dump_certs_wine: every check as expected")

# The public headers after <windows.h> (and Winsock), as an emulator's precompiled header has
# them: the installed-package consumer's program with the full <windows.h>, with
# WIN32_LEAN_AND_MEAN, and with NOMINMAX too, each running its guest calls under Wine; and every
# public identifier checked against those headers' macros (host-side).
foreach(variant full lean lean_nominmax)
  add_executable(windows_h_first_${variant} ${CMAKE_CURRENT_SOURCE_DIR}/consumer/main.cpp)
  target_link_libraries(windows_h_first_${variant} PRIVATE wiiu_nssl)
  add_test(NAME Consumer.PublicHeadersAfterWindowsH_${variant} COMMAND windows_h_first_${variant})
  set_tests_properties(Consumer.PublicHeadersAfterWindowsH_${variant} PROPERTIES LABELS unit TIMEOUT 300)
endforeach()
target_compile_definitions(windows_h_first_lean PRIVATE WIN32_LEAN_AND_MEAN)
target_compile_definitions(windows_h_first_lean_nominmax PRIVATE WIN32_LEAN_AND_MEAN NOMINMAX)
add_test(NAME Consumer.NoPublicIdentifierIsAPlatformMacro
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/consumer/macro_clash.py ${PROJECT_SOURCE_DIR}/include
                 --cxx c++ --mingw ${CMAKE_CXX_COMPILER})
set_tests_properties(Consumer.NoPublicIdentifierIsAPlatformMacro PROPERTIES LABELS unit TIMEOUT 120)
