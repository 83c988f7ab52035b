# Hardening flags for the binaries that ship, as Debian's dpkg-buildflags sets them (lintian checks
# the .deb for them): fortified libc calls, stack protector and clash protection, CET, a
# position-independent executable, and read-only relocations bound at start-up.
# Off for the sanitizer and fuzz builds, which instrument the code their own way.

option(AIADVISE_HARDENING "Build with hardening flags (fortify, stack protector, PIE, RELRO, BIND_NOW)" ON)
if(AIADVISE_HARDENING AND NOT AIADVISE_SANITIZE AND NOT AIADVISE_FUZZ)
  include(CheckPIESupported)
  check_pie_supported()
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  # _FORTIFY_SOURCE needs optimisation: not in Debug builds.
  add_compile_options($<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2> -fstack-protector-strong -fstack-clash-protection -fcf-protection)
  add_link_options(-Wl,-z,relro -Wl,-z,now)
  message(STATUS "Hardening: fortify (optimised builds), stack protector, stack clash protection, CET, PIE, RELRO, BIND_NOW")
endif()
