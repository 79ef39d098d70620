# Third-party dependencies, all from Debian 12 packages (see scripts/deps.sh).
if(NOSQLC_STATIC_TOOLS)
  # The static archives of Debian's -dev packages, for fully static executables.
  set(Boost_USE_STATIC_LIBS ON)
  set(OPENSSL_USE_STATIC_LIBS TRUE)
endif()
find_package(Threads REQUIRED)
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json)

# Standalone Asio is header-only; nosqlc_asio carries its include path and settings.
find_path(NOSQLC_ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(nosqlc_asio INTERFACE)
set_target_properties(nosqlc_asio PROPERTIES EXPORT_NAME asio)
# The same frame allocator whatever standard headers a file included before Asio (a mix
# aborts under AddressSanitizer).
target_compile_definitions(nosqlc_asio INTERFACE ASIO_NO_DEPRECATED ASIO_DISABLE_STD_ALIGNED_ALLOC)
target_link_libraries(nosqlc_asio INTERFACE Threads::Threads)
# Asio 1.22 looks for co_await support on clang only through libc++'s <experimental/coroutine>;
# clang 14 with libstdc++'s <coroutine> works once told so.
target_compile_definitions(nosqlc_asio INTERFACE
  $<$<CXX_COMPILER_ID:Clang>:ASIO_HAS_CO_AWAIT=1 ASIO_HAS_STD_COROUTINE=1>)

if(NOSQLC_WITH_TLS)
  find_package(OpenSSL 3 REQUIRED)
endif()
if(NOSQLC_WITH_LZ4)
  find_path(NOSQLC_LZ4_INCLUDE_DIR lz4.h REQUIRED)
  if(NOSQLC_STATIC_TOOLS)
    find_library(NOSQLC_LZ4_LIBRARY NAMES liblz4.a REQUIRED)
  else()
    find_library(NOSQLC_LZ4_LIBRARY NAMES lz4 REQUIRED)
  endif()
  # Debian's liblz4-dev has no CMake package: an imported target of our own, which the
  # installed nosqlcConfig.cmake makes again on the user's machine, so the exported targets
  # name it rather than this machine's path to the library.
  add_library(nosqlc::lz4 UNKNOWN IMPORTED)
  set_target_properties(nosqlc::lz4 PROPERTIES IMPORTED_LOCATION "${NOSQLC_LZ4_LIBRARY}"
                                               INTERFACE_INCLUDE_DIRECTORIES "${NOSQLC_LZ4_INCLUDE_DIR}")
endif()

# nosqlc_static_executable(TARGET): links TARGET with -static under NOSQLC_STATIC_TOOLS.
function(nosqlc_static_executable target)
  if(NOSQLC_STATIC_TOOLS)
    target_link_options(${target} PRIVATE -static)
  endif()
endfunction()
