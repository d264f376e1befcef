# SQLCipher 4, as DESIGN.md section 4 says: by default the official amalgamation shipped in the npm
# package @journeyapps/sqlcipher, fetched with `npm pack`, checked against the registry's
# integrity hash, unpacked into a git-ignored cache and compiled once into a static library with
# OpenSSL's libcrypto as the cipher provider. The cache (.deps/ by default) is shared by every
# preset and build folder, so the 35-second compile happens once per machine.
#
# Result: the target SQLCipher::sqlcipher. Nothing may link libsqlite3 beside it (tests check).

if(CONFIDANT_SYSTEM_SQLCIPHER)
  pkg_check_modules(sqlcipher REQUIRED IMPORTED_TARGET sqlcipher>=4.0)
  add_library(SQLCipher::sqlcipher ALIAS PkgConfig::sqlcipher)
  # The system package keeps its header as <sqlcipher/sqlite3.h>; the code includes <sqlite3.h>.
  target_include_directories(PkgConfig::sqlcipher INTERFACE ${sqlcipher_INCLUDEDIR}/sqlcipher)
  return()
endif()

set(CONFIDANT_SQLCIPHER_NPM "@journeyapps/sqlcipher@6.0.0")
# sha512-YmWSQIR4cnv+5L38lYJoS/dIF/+bEZBaACATbeTyq4XKjMHcxdIlFnElBLiIqa9rwseOIimIYjudgOOCovud3Q== in hex:
set(CONFIDANT_SQLCIPHER_SHA512
  "626592408478727bfee4bdfc9582684bf74817ff9b11905a0020136de4f2ab85ca8cc1dcc5d22516712504b888a9af6bc2c78e222988623b9d80e382a2fb9ddd")
set(CONFIDANT_DEPS_DIR "${CMAKE_SOURCE_DIR}/.deps" CACHE PATH "Cache for fetched and prebuilt dependencies")

set(_sqlc_flags
  -O2 -fPIC -D_GNU_SOURCE -include stdint.h -DSQLITE_HAS_CODEC -DSQLCIPHER_CRYPTO_OPENSSL
  -DSQLITE_TEMP_STORE=2 -DSQLITE_EXTRA_INIT=sqlcipher_extra_init
  -DSQLITE_EXTRA_SHUTDOWN=sqlcipher_extra_shutdown -DSQLITE_THREADSAFE=1
  -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_DQS=0 -DSQLITE_DEFAULT_FOREIGN_KEYS=1)
string(SHA1 _sqlc_key "${CONFIDANT_SQLCIPHER_SHA512};${_sqlc_flags};${CMAKE_C_COMPILER_ID}${CMAKE_C_COMPILER_VERSION}")
string(SUBSTRING "${_sqlc_key}" 0 12 _sqlc_key)
set(_sqlc_dir "${CONFIDANT_DEPS_DIR}/sqlcipher-6.0.0-${_sqlc_key}")
set(_sqlc_src "${_sqlc_dir}/package/deps/sqlcipher-amalgamation")
set(_sqlc_lib "${_sqlc_dir}/libsqlcipher.a")

if(NOT EXISTS "${_sqlc_lib}")
  file(MAKE_DIRECTORY "${_sqlc_dir}")
  set(_tgz "${_sqlc_dir}/journeyapps-sqlcipher-6.0.0.tgz")
  if(NOT EXISTS "${_tgz}")
    find_program(NPM_PROGRAM npm REQUIRED)
    message(STATUS "SQLCipher: npm pack ${CONFIDANT_SQLCIPHER_NPM}")
    execute_process(COMMAND "${NPM_PROGRAM}" pack "${CONFIDANT_SQLCIPHER_NPM}" --silent
                    WORKING_DIRECTORY "${_sqlc_dir}" RESULT_VARIABLE _rc OUTPUT_QUIET)
    if(NOT _rc EQUAL 0 OR NOT EXISTS "${_tgz}")
      message(FATAL_ERROR "SQLCipher: `npm pack ${CONFIDANT_SQLCIPHER_NPM}` failed (${_rc})")
    endif()
  endif()
  file(SHA512 "${_tgz}" _actual)
  if(NOT _actual STREQUAL CONFIDANT_SQLCIPHER_SHA512)
    file(REMOVE "${_tgz}")
    message(FATAL_ERROR "SQLCipher: ${_tgz} does not match the pinned integrity hash; removed it")
  endif()
  file(ARCHIVE_EXTRACT INPUT "${_tgz}" DESTINATION "${_sqlc_dir}"
       PATTERNS package/deps/sqlcipher-amalgamation)
  message(STATUS "SQLCipher: compiling the amalgamation once into ${_sqlc_lib} (about 35 s)")
  execute_process(
    COMMAND "${CMAKE_C_COMPILER}" ${_sqlc_flags} -c "${_sqlc_src}/sqlite3.c" -o "${_sqlc_dir}/sqlite3.o"
    RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "SQLCipher: compiling the amalgamation failed")
  endif()
  execute_process(COMMAND "${CMAKE_AR}" rcs "${_sqlc_lib}.tmp" "${_sqlc_dir}/sqlite3.o" RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "SQLCipher: archiving failed")
  endif()
  file(RENAME "${_sqlc_lib}.tmp" "${_sqlc_lib}")
  file(REMOVE "${_sqlc_dir}/sqlite3.o")
endif()

add_library(SQLCipher::sqlcipher STATIC IMPORTED GLOBAL)
set_target_properties(SQLCipher::sqlcipher PROPERTIES
  IMPORTED_LOCATION "${_sqlc_lib}"
  INTERFACE_INCLUDE_DIRECTORIES "${_sqlc_src}"
  INTERFACE_COMPILE_DEFINITIONS "SQLITE_HAS_CODEC")
target_link_libraries(SQLCipher::sqlcipher INTERFACE OpenSSL::Crypto Threads::Threads ${CMAKE_DL_LIBS} m)
