# SPDX-License-Identifier: MIT
# lwIP and mbedTLS source trees for the firmware and the lwIP port's host
# tests, from Debian's source packages (scripts/fetch-sources.sh: pinned
# versions, checksums checked, never committed). They are unpacked under
# the build tree once; later configures reuse them.
#
#   include(BrisaThirdParty)
#   brisa_fetch_sources()   # sets BRISA_LWIP_DIR / BRISA_MBEDTLS_DIR, or leaves them empty
include_guard(GLOBAL)

option(BRISA_FETCH_SOURCES "Fetch the lwIP and mbedTLS source packages from Debian when missing" ON)
set(BRISA_SOURCES_DIR "${PROJECT_BINARY_DIR}/third-party" CACHE PATH
    "Where the lwIP and mbedTLS source packages are unpacked (shareable between build trees)")

function(brisa_fetch_sources)
  set(dir ${BRISA_SOURCES_DIR})
  get_property(tried GLOBAL PROPERTY BRISA_FETCH_TRIED)
  if(BRISA_FETCH_SOURCES AND NOT tried AND
     NOT (EXISTS ${dir}/lwip/.brisa-ok AND EXISTS ${dir}/mbedtls/.brisa-ok))
    set_property(GLOBAL PROPERTY BRISA_FETCH_TRIED TRUE)
    message(STATUS "Fetching the lwIP and mbedTLS source packages into ${dir}")
    execute_process(COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/fetch-sources.sh ${dir}
                    RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      string(STRIP "${err}" err)
      message(WARNING "${err}\nThe lwIP port and the firmware's mbedTLS are left out of this build.")
    endif()
  endif()
  foreach(pkg lwip mbedtls)
    string(TOUPPER ${pkg} up)
    if(EXISTS ${dir}/${pkg}/.brisa-ok)
      set(BRISA_${up}_DIR ${dir}/${pkg} PARENT_SCOPE)
    else()
      set(BRISA_${up}_DIR "" PARENT_SCOPE)
    endif()
  endforeach()
endfunction()
